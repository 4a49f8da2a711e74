"""The fictional city of Northbridge: its devolved areas, postcode districts, streets and addresses.

Postcodes have the real format (outward code, space, a digit and two letters from the 20 that inward codes
use) with the outward area "NB", which no real UK postcode area uses. Each area has four postcode districts,
so a child's area follows from the postcode of their current address.
"""

import random
from dataclasses import dataclass

CITY = "Northbridge"
POSTCODE_AREA = "NB"
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward codes never use C, I, K, M, O or V


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name: str
    population_share: float
    districts: tuple[int, ...]
    neighbourhoods: tuple[str, ...]  # one per district, used as the address's second line


AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("C", "Central", 0.18, (1, 2, 3, 4), ("Castlegate", "Canalside", "St Aldric's", "Wharf End")),
    AreaSpec("N", "North", 0.21, (5, 6, 7, 8), ("Highfield", "Thornbury Green", "Northmoor", "Ashcombe")),
    AreaSpec("E", "East", 0.22, (9, 10, 11, 12), ("Brookhollow", "Kingsmere", "Ravenswood", "Elmstead")),
    AreaSpec(
        "S", "South", 0.20, (13, 14, 15, 16), ("Southwick Park", "Oakhurst", "Fernbank", "Holloway Rise")
    ),
    AreaSpec("W", "West", 0.19, (17, 18, 19, 20), ("Westmere", "Larkhill Heath", "Coppergate", "Stonecross")),
)
# The city-wide teams (front door, safeguarding unit) sit in this area's establishment.
CITY_WIDE_AREA = "C"
# The area short of social workers, with a backlog of unallocated children (``rates.STRUGGLING_*``). It is
# the demo personas' area, so the team manager and head of service see at once what the allocation and
# oversight pages are for; the director sees it beside four areas at the national rates.
STRUGGLING_AREA = "N"

_STREET_STEMS = [
    "Victoria",
    "Albert",
    "Station",
    "Church",
    "Mill",
    "Park",
    "Queen",
    "King's",
    "Chapel",
    "Canal",
    "Bridge",
    "Market",
    "Union",
    "Railway",
    "Elm",
    "Oak",
    "Ash",
    "Beech",
    "Willow",
    "Cedar",
    "Rowan",
    "Hawthorn",
    "Holly",
    "Laurel",
    "Maple",
    "Poplar",
    "Birch",
    "Chestnut",
    "Sycamore",
    "Alder",
    "Heather",
    "Clover",
    "Meadow",
    "Orchard",
    "Spring",
    "Brook",
    "River",
    "Lake",
    "Pool",
    "Ford",
    "Well",
    "Hill",
    "Vale",
    "Dale",
    "Moor",
    "Heath",
    "Common",
    "Green",
    "Field",
    "Grange",
    "Manor",
    "Abbey",
    "Priory",
    "Castle",
    "Tower",
    "Forge",
    "Foundry",
    "Wharf",
    "Lock",
    "Quarry",
    "Kiln",
    "Tannery",
    "Weaver",
    "Cooper",
    "Fletcher",
    "Carter",
    "Mason",
    "Thatcher",
    "Baker",
    "Miller",
    "Nelson",
    "Wellington",
    "Gladstone",
    "Peel",
    "Cromwell",
    "Stanley",
    "Cavendish",
    "Russell",
    "Windsor",
    "Coronation",
    "Jubilee",
    "Empire",
    "Minerva",
    "Athena",
    "Harmony",
    "Unity",
    "Providence",
    "Hope",
    "Endeavour",
    "Liberty",
    "Bramble",
    "Foxglove",
    "Primrose",
    "Bluebell",
    "Lavender",
    "Marigold",
    "Juniper",
    "Larch",
    "Hazel",
    "Linden",
    "Sorrel",
    "Thistle",
    "Kestrel",
    "Heron",
    "Swallow",
    "Lark",
    "Wren",
    "Robin",
    "Finch",
    "Plover",
    "Curlew",
]
_STREET_KINDS = [
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Grove",
    "Way",
    "Crescent",
    "Terrace",
    "Drive",
    "Gardens",
    "Walk",
    "Place",
    "Row",
    "Court",
    "Rise",
    "Mews",
]
_BUILDINGS = ["Court", "House", "Point", "Tower", "Mansions", "Lodge"]


def district_area(district: int) -> str:
    for area in AREAS:
        if district in area.districts:
            return area.code
    raise ValueError(f"NB{district} is not in any area")


class AddressBook:
    """Hands out unique addresses, district by district, with postcodes shared by short runs of houses."""

    def __init__(self, rng: random.Random, expected_addresses: int):
        self.rng = rng
        per_district = max(1, expected_addresses // 20)
        self.streets_per_district = max(25, per_district // 120)
        self._streets: dict[int, list[str]] = {}
        self._next_number: dict[tuple[int, int], int] = {}
        self._postcodes: dict[tuple[int, int, int], str] = {}
        self._used_inward: dict[int, set[str]] = {}

    def _street_names(self, district: int) -> list[str]:
        names = self._streets.get(district)
        if names is None:
            seen: set[str] = set()
            names = []
            while len(names) < self.streets_per_district:
                name = f"{self.rng.choice(_STREET_STEMS)} {self.rng.choice(_STREET_KINDS)}"
                if name not in seen:
                    seen.add(name)
                    names.append(name)
            self._streets[district] = names
        return names

    def _postcode(self, district: int, street: int, number: int) -> str:
        key = (district, street, number // 24)
        code = self._postcodes.get(key)
        if code is None:
            used = self._used_inward.setdefault(district, set())
            while True:
                inward = f"{self.rng.randint(1, 9)}{self.rng.choice(INWARD_LETTERS)}{self.rng.choice(INWARD_LETTERS)}"
                if inward not in used or len(used) >= 9 * 400:
                    break
            used.add(inward)
            code = f"{POSTCODE_AREA}{district} {inward}"
            self._postcodes[key] = code
        return code

    def new_address(self, area_code: str) -> tuple[str, str, str, str]:
        """(line 1, line 2, town, postcode) of an address nobody has been given yet, in ``area_code``."""
        area = next(spec for spec in AREAS if spec.code == area_code)
        slot = self.rng.randrange(len(area.districts))
        district = area.districts[slot]
        streets = self._street_names(district)
        street = self.rng.randrange(len(streets))
        number = self._next_number.get((district, street), 0) + self.rng.randint(1, 3)
        self._next_number[(district, street)] = number
        line_1 = f"{number} {streets[street]}"
        if self.rng.random() < 0.15:
            building = f"{streets[street].split()[0]} {self.rng.choice(_BUILDINGS)}"
            line_1 = f"Flat {self.rng.randint(1, 40)}, {building}, {line_1}"
        return line_1, area.neighbourhoods[slot], CITY, self._postcode(district, street, number)


def pick_area(rng: random.Random) -> str:
    return rng.choices([area.code for area in AREAS], weights=[area.population_share for area in AREAS])[0]
