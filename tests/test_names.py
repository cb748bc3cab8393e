"""Names a story shares with few others (casualties.names)."""

from casualties.names import story_names


def test_names_are_capitalised_words_other_than_openers_days_months_and_titles() -> None:
    text = (
        "Shooting Leaves One Dead Near Fairway Park\n\n"
        "A man was shot on Delmont Avenue late Saturday, Police Chief Ann Ruiz said in March.\n"
        "The victim, Tyrell Quarles, 19, died at the scene. Officers found him near the Kessler market."
    )
    # The police chief speaks for the city in its other incidents' reports too: her names tie nothing.
    assert story_names(text) == ["delmont", "delmont-avenue", "kessler", "quarles", "tyrell", "tyrell quarles"]


def test_a_person_like_pair_is_two_names_neither_a_street_word_nor_a_common_word() -> None:
    text = (
        "Neighbours on Marwick Drive heard shots before Jolene Avery, 34, was found.\n"
        "Reporter Dana Kowalczyk said Kowalczyk had covered the street before, and There were no arrests."
    )
    # 'Ann' alone is a city of 120,000 (Myanmar): as a city's name it ties no stories, but
    # 'Ann Ruiz' is a person-like pair.
    assert story_names(text + " Ann Ruiz, a neighbour, called 911.") == [
        "ann ruiz", "avery", "jolene", "jolene avery", "marwick", "marwick-drive", "ruiz",
    ]


def test_regions_seas_and_forces_are_no_names_of_an_incident() -> None:
    text = "Drones hit ships in the Black Sea near Crimea, Moscow said, and the Rapid Support Forces shelled a market."
    assert story_names(text) == []


def test_a_word_the_story_also_writes_in_lower_case_is_no_name() -> None:
    text = "Shots were fired near the Kessler Gun Shop after a gun sale went wrong, and the shop closed. Jolene Long, 40, was hurt."
    # 'Long' is written in lower case nowhere here (and a pair is left out only when both words are).
    assert story_names(text) == ["jolene long", "kessler", "long"]


def test_a_person_named_with_a_generation_is_a_person_like_pair() -> None:
    text = "The man killed on the court was named as Darnell Okafor Jr. by the coroner, and his uncle Rupert Vance Sr. spoke."
    assert story_names(text) == ["darnell", "darnell okafor", "okafor", "rupert", "rupert vance", "vance"]


def test_a_county_is_a_name_of_its_own_keyed_by_its_kind() -> None:
    text = (
        "A girl was wounded on Sunday in rural Tolliver County, the sheriff said.\n"
        "Deputies from Tolliver and Brannock Counties and from Ocelot Parish searched the woods."
    )
    # 'Tolliver' alone may be a surname or a town of another state; its county is one place.
    assert story_names(text) == ["brannock", "brannock-county", "ocelot", "ocelot-parish", "tolliver", "tolliver-county"]


def test_a_street_is_a_name_of_its_own_whatever_its_kind_is_abbreviated_to() -> None:
    text = (
        "Two men were shot near Garland Street and Pike Ave. on Friday.\n"
        "Neighbours said the car was found later on Garland St. by a park on Oriole Ln. in the city.\n"
        "Officers closed the corner of Pike & Tamsin Avenues and of Birch and Cedar Drives, not Maple and other roads."
    )
    # 'Garland' alone is a city of 240,000 and names no one incident; 'Garland Street' is one
    # street, written two ways. Keyed with a hyphen, a street is never read as a person's pair.
    # Two streets of one kind named together are two streets of that kind.
    assert story_names(text) == [
        "birch", "birch-drive", "cedar", "cedar-drive", "garland-street", "maple", "oriole", "oriole-lane", "pike", "pike-avenue",
        "tamsin", "tamsin-avenue",
    ]
