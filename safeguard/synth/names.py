"""Names for a diverse English city, grouped by naming tradition, and the ethnicity mix they are drawn with.

Every name here is an ordinary given name or surname; any resemblance of a generated combination to a real
person is chance. The lists include apostrophes, hyphens and accents (O'Neill, Smith-Jones, Zoë, Wójcik) on
purpose, because search must cope with them.

A family is drawn as an ethnicity code (``ETHNICITY_WEIGHTS``, roughly a large diverse English city's
children: about two fifths White British, large Pakistani, Bangladeshi, Indian, Black African, Black
Caribbean and mixed communities), and its names come from the traditions ``ETHNICITY_TRADITIONS`` gives that
code. Children of mixed heritage have a parent from each tradition.
"""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Tradition:
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    code: str  # the ethnicity code an adult of this tradition is recorded with


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ENGLISH = Tradition(
    male=_split(
        "Oliver George Harry Jack Noah Charlie Jacob Alfie Freddie Oscar Leo Archie Thomas Joshua James William "
        "Henry Lucas Max Isaac Ethan Mason Logan Riley Tyler Kai Callum Connor Liam Kieran Ryan Daniel Lewis "
        "Jamie Reece Owen Toby Theo Arthur Finley Harrison Luke Samuel Adam Dylan Jayden Ben Matthew"
    ),
    female=_split(
        "Olivia Amelia Isla Ava Emily Sophia Grace Lily Freya Ella Poppy Evie Isabella Jessica Chloe Ruby "
        "Daisy Millie Sophie Megan Lucy Holly Erin Ellie Paige Courtney Jade Lauren Charlotte Hannah Amber "
        "Phoebe Scarlett Florence Willow Harper Rosie Maisie Matilda Zoë Chloé Kayleigh Leah Niamh Abigail"
    ),
    surnames=_split(
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
        "Roberts Green Hall Wood Jackson Clarke Harris Lewis Hughes Edwards Turner Hill Moore Cooper Ward "
        "Morris King Watson Harrison Morgan Baker Allen Young Mitchell Scott Carter Phillips Parker Bennett "
        "Price Shaw Holmes Lloyd Mason Webb Ellis Fisher Marshall Chapman Bailey Cox Richardson Cartwright "
        "Smith-Jones Baker-Hughes Lowe Pearson Fletcher Barnes Hudson Dixon Hunt Palmer Knight Butler Rowe "
        "Mills Stevens Fox Gibson Hayes Kaur-Smith Atkinson Pritchard Bradley Simpson Lomas Heath"
    ),
    code="WBRI",
)
IRISH = Tradition(
    male=_split(
        "Sean Patrick Conor Ciaran Declan Eoin Michael Liam Cillian Padraig Darragh Oisin Tadhg Kevin"
    ),
    female=_split(
        "Aoife Niamh Siobhan Ciara Roisin Saoirse Caoimhe Orla Mairead Sinead Aisling Bridget Erin"
    ),
    surnames=_split(
        "Murphy Kelly O'Brien O'Neill O'Connor Byrne Ryan Walsh McCarthy Doyle Gallagher Doherty Kennedy "
        "Lynch Quinn McDonagh Connors Ward Joyce Maughan O'Sullivan Brennan Fitzgerald McLaughlin"
    ),
    code="WIRI",
)
EAST_EUROPEAN = Tradition(
    male=_split(
        "Jakub Szymon Kacper Filip Mateusz Andrei Stefan Bogdan Luka Marek Tomas Dawid Adrian Vlad Mihai"
    ),
    female=_split(
        "Zuzanna Julia Maja Natalia Alexandra Ioana Elena Daria Anastasia Kinga Wiktoria Bianca Andreea Oliwia"
    ),
    surnames=_split(
        "Nowak Wójcik Kowalczyk Lewandowski Zielinski Popescu Ionescu Popa Dumitru Stan Horvath Novak "
        "Kazlauskas Petrov Balogh Dvorak Marin Tudor Kolar Mazur Krawczyk Rusu Lungu"
    ),
    code="WOTH",
)
PAKISTANI = Tradition(
    male=_split(
        "Muhammad Mohammed Ayaan Yusuf Ibrahim Hamza Zain Bilal Imran Usman Adam Zakariya Haris Rayyan Asif "
        "Tariq Faisal Shahid Nadeem Kamran Arham Musa Umar Ismail Idris"
    ),
    female=_split(
        "Aisha Zainab Maryam Fatima Hafsa Inaya Hania Amina Safa Sana Noor Ayesha Samina Nazia Khadija Iqra "
        "Mehreen Rabia Shazia Anaya Eman Alishba Zara Hira"
    ),
    surnames=_split(
        "Khan Hussain Ahmed Ali Iqbal Akhtar Mahmood Rashid Shah Butt Malik Bibi Javed Mirza Aslam Qureshi "
        "Raza Yousaf Siddique Anwar Bashir Ashraf Sharif Nawaz Saleem Chaudhry Rehman"
    ),
    code="APKN",
)
BANGLADESHI = Tradition(
    male=_split("Abdul Rahim Mohammed Sayed Tanvir Rafiq Jamal Shahed Anwar Rayhan Ishaq Mahir Ayaan Nabil"),
    female=_split("Fatema Nusrat Rumana Sumaiya Tasnim Jannat Ruksana Shirin Halima Sabrina Anika Maliha"),
    surnames=_split(
        "Rahman Miah Begum Uddin Islam Chowdhury Hoque Ali Ahmed Khatun Hossain Sarkar Alam Karim"
    ),
    code="ABAN",
)
INDIAN = Tradition(
    male=_split(
        "Arjun Rohan Aarav Vihaan Harpreet Gurpreet Jaswinder Rajesh Sanjay Vikram Anil Dev Kiran Manpreet "
        "Nikhil Ravi Sunil Jasdeep Amrit Ishaan"
    ),
    female=_split(
        "Priya Anjali Simran Harleen Navdeep Sunita Meera Kavita Pooja Amrita Divya Jasleen Neha Riya Asha "
        "Manjit Kiran Anaya Saanvi Ishani"
    ),
    surnames=_split(
        "Patel Singh Kaur Sharma Gill Sandhu Kumar Bains Dhillon Sidhu Mistry Shah Joshi Parmar Chauhan "
        "Sahota Virdi Bhatti Rana Gupta"
    ),
    code="AIND",
)
OTHER_ASIAN = Tradition(
    male=_split("Ahmad Farid Hamid Suresh Tharshan Prakash Bishal Mark Jose Rizal Nimal Aziz Sanjeev"),
    female=_split("Parisa Mariam Tharshini Kavitha Sita Maria Angelica Nisha Shanthi Laila Roya Anjana"),
    surnames=_split(
        "Ahmadi Karimi Noori Sivakumar Rajendran Thapa Gurung Santos Reyes Perera Fernando Hashimi Sultani"
    ),
    code="AOTH",
)
CARIBBEAN = Tradition(
    male=_split(
        "Jermaine Tyrone Marcus Kemar Dwayne Andre Leon Jordan Nathaniel Isaiah Elijah Darnell Malachi Levi"
    ),
    female=_split(
        "Shanice Keisha Tanisha Aaliyah Jada Kiara Tiana Shantelle Monique Janelle Naomi Imani Leah"
    ),
    surnames=_split(
        "Campbell Brown Williams Thompson Clarke Francis Henry Grant Reid Gordon Lawrence Edwards Bailey "
        "Stewart Morgan Powell Richards Simpson Ellis Forbes McKenzie"
    ),
    code="BCRB",
)
WEST_AFRICAN = Tradition(
    male=_split(
        "Chidi Emeka Tobi David Samuel Kwame Kofi Oluwaseun Femi Daniel Chinedu Ayodele Joshua Kelechi Ebuka"
    ),
    female=_split(
        "Amara Blessing Precious Chiamaka Ngozi Adaeze Favour Abena Akosua Esther Deborah Temitope Ife Grace"
    ),
    surnames=_split(
        "Okafor Adeyemi Mensah Osei Okonkwo Adebayo Balogun Nwosu Eze Boateng Asante Owusu Ogunleye Ojo "
        "Afolabi Danso Obi Okoro"
    ),
    code="BAFR",
)
EAST_AFRICAN = Tradition(
    male=_split("Abdi Mohamed Ahmed Hassan Yonas Dawit Samir Abdirahman Mustafa Bereket Filimon Ibrahim"),
    female=_split("Hodan Amina Fadumo Ayan Hibo Saida Sara Helen Mebrat Selam Ikram Nasra Hamdi"),
    surnames=_split("Mohamed Abdi Hassan Farah Osman Warsame Ali Tesfaye Gebremedhin Haile Yusuf Jama Nur"),
    code="BAFR",
)
CHINESE = Tradition(
    male=_split("Wei Hao Jun Ming Chen Kevin Jason Ryan Lucas Yi Zhi Tian"),
    female=_split("Mei Jia Xin Ling Yan Hui Chloe Emily Grace Jing Lian Qing"),
    surnames=_split("Wang Li Zhang Chen Liu Wong Chan Lam Cheung Ng Zhou Huang Lin Yip"),
    code="CHNE",
)
ARAB_KURDISH = Tradition(
    male=_split("Omar Ali Hassan Karwan Rebin Ahmed Youssef Khalid Mahmoud Sami Ahmad Rami Zana Salah"),
    female=_split("Layla Nour Rana Shirin Dilan Hana Yasmin Mariam Salma Reem Lana Rezan Huda"),
    surnames=_split(
        "Al-Hakim Al-Sayed Haddad Mansour Abdullah Rashid Barzani Karim Aziz Saleh Nasser El-Amin Hamad"
    ),
    code="OOTH",
)
ROMA = Tradition(
    male=_split("Marius Florin Ionut Dominik Patrik Robert Denis Adrian Lukas Costel"),
    female=_split("Alina Denisa Roxana Simona Nikola Monika Claudia Mirela Veronika Lenka"),
    surnames=_split("Lakatos Balog Horvath Kolompar Sarkozi Rostas Dudas Oláh Radu Stoica"),
    code="WROM",
)
TRAVELLER = Tradition(
    male=IRISH.male,
    female=IRISH.female,
    surnames=_split("McDonagh Ward Connors Maughan Doherty Joyce Stokes Delaney Cash Reilly"),
    code="WIRT",
)

# Roughly a large, diverse English city's children (2021 census shape), as per cent.
ETHNICITY_WEIGHTS: dict[str, float] = {
    "WBRI": 38.0,
    "WIRI": 0.6,
    "WIRT": 0.3,
    "WOTH": 5.0,
    "WROM": 0.5,
    "MWBC": 4.0,
    "MWBA": 1.2,
    "MWAS": 2.3,
    "MOTH": 2.5,
    "AIND": 5.0,
    "APKN": 17.5,
    "ABAN": 4.5,
    "AOTH": 3.0,
    "BCRB": 2.6,
    "BAFR": 6.5,
    "BOTH": 1.2,
    "CHNE": 0.8,
    "OOTH": 3.0,
    "REFU": 0.4,
    "NOBT": 0.8,
}

# For each code, the traditions its families' names come from: one for a single heritage, a pair (one per
# parent) for a mixed one. Several entries are alternatives, chosen with equal weight.
ETHNICITY_TRADITIONS: dict[str, tuple[tuple[Tradition, ...], ...]] = {
    "WBRI": ((ENGLISH,), (ENGLISH,), (ENGLISH,), (ENGLISH,), (ENGLISH,), (ENGLISH,), (IRISH,)),
    "WIRI": ((IRISH,),),
    "WIRT": ((TRAVELLER,),),
    "WOTH": ((EAST_EUROPEAN,), (EAST_EUROPEAN,), (EAST_EUROPEAN,), (ENGLISH,)),
    "WROM": ((ROMA,),),
    "MWBC": ((ENGLISH, CARIBBEAN), (CARIBBEAN, ENGLISH)),
    "MWBA": ((ENGLISH, WEST_AFRICAN), (WEST_AFRICAN, ENGLISH)),
    "MWAS": ((ENGLISH, PAKISTANI), (ENGLISH, INDIAN), (INDIAN, ENGLISH)),
    "MOTH": (
        (CARIBBEAN, PAKISTANI),
        (ENGLISH, ARAB_KURDISH),
        (CHINESE, ENGLISH),
        (EAST_EUROPEAN, WEST_AFRICAN),
    ),
    "AIND": ((INDIAN,),),
    "APKN": ((PAKISTANI,),),
    "ABAN": ((BANGLADESHI,),),
    "AOTH": ((OTHER_ASIAN,),),
    "BCRB": ((CARIBBEAN,),),
    "BAFR": ((WEST_AFRICAN,), (WEST_AFRICAN,), (EAST_AFRICAN,)),
    "BOTH": ((CARIBBEAN, WEST_AFRICAN), (WEST_AFRICAN,)),
    "CHNE": ((CHINESE,),),
    "OOTH": ((ARAB_KURDISH,),),
    "REFU": ((ENGLISH,), (PAKISTANI,), (WEST_AFRICAN,), (EAST_EUROPEAN,)),
    "NOBT": ((ENGLISH,), (PAKISTANI,), (CARIBBEAN,), (ARAB_KURDISH,)),
}

ALL_TRADITIONS = (
    ENGLISH,
    IRISH,
    EAST_EUROPEAN,
    PAKISTANI,
    BANGLADESHI,
    INDIAN,
    OTHER_ASIAN,
    CARIBBEAN,
    WEST_AFRICAN,
    EAST_AFRICAN,
    CHINESE,
    ARAB_KURDISH,
    ROMA,
    TRAVELLER,
)

_CODES = tuple(ETHNICITY_WEIGHTS)
_CUMULATIVE: list[float] = []
_running = 0.0
for _weight in ETHNICITY_WEIGHTS.values():
    _running += _weight
    _CUMULATIVE.append(_running)


def pick_ethnicity(rng: random.Random) -> str:
    return rng.choices(_CODES, cum_weights=_CUMULATIVE)[0]


def pick_traditions(rng: random.Random, ethnicity: str) -> tuple[Tradition, ...]:
    return rng.choice(ETHNICITY_TRADITIONS[ethnicity])


def first_name(rng: random.Random, tradition: Tradition, sex: str) -> str:
    if sex == "M":
        return rng.choice(tradition.male)
    if sex == "F":
        return rng.choice(tradition.female)
    return rng.choice(tradition.male + tradition.female)


def middle_name(rng: random.Random, tradition: Tradition, sex: str, first: str) -> str:
    """A middle name for about two in five people; never the same as the first name."""
    if rng.random() >= 0.4:
        return ""
    name = first_name(rng, tradition, sex)
    return "" if name == first else name


def staff_name(rng: random.Random) -> tuple[str, str, str]:
    """(first name, last name, sex) for a member of staff, from the city's mix of traditions."""
    tradition = pick_traditions(rng, pick_ethnicity(rng))[0]
    sex = "F" if rng.random() < 0.8 else "M"  # about four in five children's social workers are women
    return first_name(rng, tradition, sex), rng.choice(tradition.surnames), sex
