# Indian formats in both languages: 28/11/2026, 2:30 PM (AM/PM translated by Django in Hindi).
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "d/m/Y, g:i A"
SHORT_DATETIME_FORMAT = "d/m/Y, g:i A"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%I:%M %p"]
FIRST_DAY_OF_WEEK = 1
