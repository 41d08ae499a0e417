"""English formats for a Vietnamese site: unambiguous dates.

Django's ``en`` writes short dates month first (12/07/2026), which a reader in Vietnam takes for 12 July; the month
is written as a word instead (7 Dec 2026), day first. Times use 24 hours, as the Vietnamese pages do. Anything not
set here (input formats, separators) falls back to Django's ``en`` locale.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
