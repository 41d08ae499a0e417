"""Vietnamese formats: what Django's own ``vi`` locale leaves out or writes unusually.

Django's ``vi`` sets "." as the thousands separator but no grouping size, so numbers were not grouped at all
("1332"); Vietnamese writes 1.332. Short dates use slashes, day first (07/12/2026), as Vietnamese documents do.
Anything not set here falls back to Django's ``vi`` locale.
"""

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
