"""The maintainer's side of the course models: data split, training and evaluation, stored references.

``python -m model_pipeline --help`` lists the commands. The run time (``checker.course_model.build``)
only assembles what this pipeline wrote; learners never need it.
"""
