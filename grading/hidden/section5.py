"""Hidden cases of section 5 (``05_padding_in_practice.ipynb``): more batches for the property the public cases of
``changed_rows`` test (the rows shorter than the longest, and only they, change), never a new property."""

from checker.harness import Case

changed_rows = [
    Case(
        "a hidden case: five sequences of three different lengths",
        ([[21, 22], [23, 24, 25, 26], [27], [28, 29, 30, 31], [32, 33, 34]],),
        [0, 2, 4],
    ),
    Case("a hidden case: the longest sequence last", ([[41], [42, 43], [44, 45, 46]],), [0, 1]),
    Case(
        "a hidden case: every sequence but one of the same length, the odd one longer",
        ([[51, 52], [53, 54], [55, 56, 57, 58, 59], [60, 61]],),
        [0, 1, 3],
    ),
    Case(
        "a hidden case: a shorter sequence that holds the pad id as a real token",
        ([[61, 62, 63], [0, 64]],),
        [1],
    ),
    Case("a hidden case: sequences of one id each (nothing to pad)", ([[71], [72], [73]],), []),
    Case(
        "a hidden case: one long sequence and several short ones",
        ([[81], [82], [83, 84, 85, 86, 87, 88], [89]],),
        [0, 1, 3],
    ),
    Case("a hidden case: a single long sequence", ([[91, 92, 93, 94, 95, 96, 97]],), []),
]
