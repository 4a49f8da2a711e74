"""Check characters for the national identifiers a child's record carries.

Sources:
- UPN: DfE "Unique Pupil Numbers (UPN): guidance for schools and local authorities" (2023), Annex: the check
  letter is the first character; characters 2-13 are weighted 2 to 13, the weighted sum is taken modulo 23
  and mapped to the letters A-Z without I, O and S. Characters 2-4 are the LA code, 5-8 the establishment,
  9-10 the year of allocation, 11-13 a serial; a temporary UPN ends in a letter.
- NHS number: NHS Data Dictionary, "NHS Number": 10 digits; digits 1-9 weighted 10 down to 2, the sum taken
  modulo 11, check digit = 11 - remainder (11 becomes 0; 10 means the number is invalid).
"""

import re

UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# A temporary UPN ends in a letter; in the weighted sum a letter counts as its position in this same
# 23-letter alphabet (A=0 ... Z=22), as the DfE guidance's table gives.
UPN_PATTERN = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")
NHS_PATTERN = re.compile(r"^[0-9]{10}$")
NHS_NUMBER_ERROR = "Enter a 10-digit NHS number, like 999 123 4560"


def _upn_char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    return UPN_CHECK_LETTERS.index(char)


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters that follow it."""
    if len(body) != 12:
        raise ValueError("A UPN body has 12 characters")
    total = sum(_upn_char_value(char) * weight for char, weight in zip(body, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23]


def is_valid_upn(upn: str) -> bool:
    upn = upn.strip().upper()
    if not UPN_PATTERN.match(upn):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def nhs_check_digit(first_nine: str) -> int | None:
    """The NHS number check digit for nine digits, or None where no valid number can be made from them."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(number: str) -> bool:
    number = number.replace(" ", "")
    if not NHS_PATTERN.match(number):
        return False
    return nhs_check_digit(number[:9]) == int(number[9])


def format_nhs_number(number: str) -> str:
    """NHS numbers are shown as 3-3-4 digits, the way health colleagues read them out."""
    digits = number.replace(" ", "")
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else number
