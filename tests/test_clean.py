from datetime import date, datetime

from casualties.clean import DocumentMeta, blocks_of, explicit_dates, normalise, story_rows

PAGE = """Skip to Content
Drone strike hits port city of Odesa overnight

Drone strike hits port city of Odesa overnight
2025-06-11 08:40 Last Updated At:09:05

ODESA, Ukraine (AP) \u2014 A Russian drone strike on Odesa overnight killed three people, the regional governor said on Wednesday.

Firefighters work at a damaged warehouse in Odesa, Ukraine, Wednesday, June 11, 2025. (AP Photo/Jan Novak)

Firefighters work at a damaged warehouse in Odesa, Ukraine, Wednesday, June 11, 2025. (AP Photo/Jan Novak)

Rescuers searched the rubble until dawn, officials said.
Also Read | Ten recipes for a summer picnic
The city\u2019s mayor said the port was hit. pic.twitter.com/AbCdEf123
\u2014 City Council (@odesa_city) June 11, 2025
Advertisement
NAIROBI, Kenya (AP) \u2014 Police detained 40 protesters in Nairobi on Tuesday, rights groups said.

Officers fired tear gas, witnesses said.
"""


def stories():
    return list(story_rows(DocumentMeta(doc_id="d1", raw_text=PAGE)))


def test_page_splits_into_its_stories_with_their_own_dates_and_datelines():
    (first, _), (second, _) = stories()
    assert (first["story_id"], second["story_id"]) == ("d1-0", "d1-1")
    assert (first["dateline"], first["publisher"]) == ("ODESA, Ukraine", "AP")
    assert first["published_at"] == datetime(2025, 6, 11, 8, 40)
    assert first["date_source"] == "page_timestamp"
    assert second["dateline"] == "NAIROBI, Kenya"
    # The timestamp line heads the first story only: the one appended below may be of another day.
    assert second["published_at"] is None
    assert second["text"].startswith("NAIROBI, Kenya (AP) \u2014 Police detained 40 protesters")


def test_chrome_goes_and_is_recorded():
    (first, _), (second, _) = stories()
    assert "Also Read" not in first["text"] and "Skip to Content" not in first["text"]
    assert "Also Read | Ten recipes for a summer picnic" in first["removed_lines"]
    assert "Advertisement" in first["removed_lines"]


def test_repeated_captions_collapse_and_posts_are_their_own_segments():
    (first, segments), _ = stories()
    by_kind = {}
    for segment in segments:
        by_kind.setdefault(segment["kind"], []).append(segment)
    (caption,) = by_kind["caption"]
    assert caption["occurrences"] == 2 and caption["author"] == "AP Photo/Jan Novak"
    assert caption["posted_at"] == date(2025, 6, 11)
    assert "Firefighters" not in first["text"]
    (post,) = by_kind["embedded_post"]
    assert post["author"] == "City Council (@odesa_city)" and post["posted_at"] == date(2025, 6, 11)
    assert post["text"].startswith("The city's mayor said the port was hit.")
    (headline,) = by_kind["headline"]
    assert headline["occurrences"] == 2 and first["title"] == headline["text"]
    (body,) = by_kind["body"]
    assert body["text"] == first["text"]
    assert (first["n_captions"], first["n_duplicate_captions"], first["n_embedded_posts"]) == (1, 1, 1)


def test_offsets_map_every_paragraph_back_to_the_raw_text():
    for story, segments in stories():
        for piece in story["offset_map"]:
            clean = story["text"][piece["text_start"] : piece["text_start"] + piece["length"]]
            assert clean == normalise(PAGE[piece["raw_start"] : piece["raw_start"] + piece["length"]])
        for segment in segments:
            if segment["kind"] != "body":
                assert normalise(PAGE[segment["raw_start"] : segment["raw_end"]]).startswith(segment["text"][:20])
        assert 0 <= story["raw_start"] < story["raw_end"] <= len(PAGE)


def test_normalisation_is_one_for_one():
    raw = "\u201cIt\u2019s over\u201d \u2015 she said\u00a0today \u2013 10\u201312"
    assert normalise(raw) == "\"It's over\" \u2014 she said today - 10-12"
    assert len(normalise(raw)) == len(raw)


def test_explicit_dates_in_common_news_forms():
    text = "on Thursday 24 April 2025, and Friday, Jan. 9, 2026, then 2024-07-08 and January. 9, 2026"
    assert list(explicit_dates(text)) == [date(2025, 4, 24), date(2026, 1, 9), date(2024, 7, 8), date(2026, 1, 9)]


def test_story_without_any_date_stays_undated():
    ((story, _),) = story_rows(DocumentMeta(doc_id="d2", raw_text="Nine people were killed in a strike on the city, officials said on Friday."))
    assert story["published_at"] is None and story["date_source"] is None


def test_metadata_date_wins_over_text():
    meta = DocumentMeta(doc_id="d3", raw_text="Nine people were killed in Kherson on 3 May 2025, officials said.", published_at=datetime(2025, 5, 4, 7))
    ((story, _),) = story_rows(meta)
    assert (story["published_at"], story["date_source"]) == (datetime(2025, 5, 4, 7), "metadata")


def test_navigation_bylines_and_agency_less_datelines():
    page = (
        "Home \u203a World \u203a Europe\n"
        "Borno Today  |  News  |  Security\n"
        "Gunmen kill nine in raid on Nigerian village\n"
        "June 16, 2025 10:05 AM GMT+1  Updated 38 min ago\n"
        "By Staff Reporter\n"
        "MAIDUGURI (BTN) - Gunmen killed nine villagers in a night raid, police said on Monday.\n"
        "A burnt house in the village, Monday, June 16, 2025. (Borno Today/Musa Ali)\n"
        "KANO, Nigeria \u2014 A separate report from Kano said on Sunday that traders had reopened the market.\n"
    )
    (first, segments), (second, _) = story_rows(DocumentMeta(doc_id="d4", raw_text=page))
    assert first["title"] == "Gunmen kill nine in raid on Nigerian village"
    assert {"Home \u203a World \u203a Europe", "Borno Today  |  News  |  Security", "By Staff Reporter"} <= set(first["removed_lines"])
    assert (first["dateline"], first["publisher"], first["published_at"]) == ("MAIDUGURI", "BTN", datetime(2025, 6, 16))
    assert [segment["author"] for segment in segments if segment["kind"] == "caption"] == ["Borno Today/Musa Ali"]
    assert second["dateline"] == "KANO, Nigeria" and second["text"].startswith("KANO, Nigeria \u2014 A separate report")


def test_wire_dateline_with_a_date_opens_the_story():
    page = "ODESSA, June 10 (Northwind) - At least seven people have been killed in the port, officials said.\n"
    ((story, _),) = story_rows(DocumentMeta(doc_id="d5", raw_text=page))
    assert (story["dateline"], story["publisher"]) == ("ODESSA", "Northwind")


def test_a_text_without_a_paragraph_of_body_is_still_a_story():
    for text in ("Four soldiers killed as mortar fire hits outpost near the river", "Tessaville", "Blast at depot: 3 dead"):
        rows = list(story_rows(DocumentMeta(doc_id="short", raw_text=text)))
        assert len(rows) == 1, text
        story, segments = rows[0]
        assert story["text"] == text
        assert [segment["kind"] for segment in segments] == ["body"]


def test_a_slashed_date_opening_a_summary_dates_a_story_without_a_publication_date():
    meta = DocumentMeta(doc_id="note", raw_text="11/20/2019: On Wednesday, unknown attackers set fire to a school in a village. No casualties were reported.")
    story, _ = next(story_rows(meta))
    assert story["published_at"] == datetime(2019, 11, 20)
    assert story["date_source"] == "text"


def test_a_text_of_nothing_but_page_chrome_is_still_one_story_as_written():
    rows = list(story_rows(DocumentMeta(doc_id="chrome", raw_text="Advertisement\n\nSkip to Content\n")))
    assert [(story["text"], [segment["kind"] for segment in segments]) for story, segments in rows] == [
        ("Advertisement\n\nSkip to Content", ["body"])
    ]


def test_a_story_opening_with_its_dateline_below_a_pages_headline_takes_the_pages_date():
    # The page's headline and a sidebar line make the first story; the article proper opens
    # with its dateline below them and was published with the page.
    page = (
        "Five hurt in shooting at riverside bar\n\n"
        "Police are investigating a crash on the bypass Thursday night.\n\n"
        "SPRINGFIELD, Ill. \u2014 Police are searching for a gunman who shot five people at a riverside bar early Sunday.\n\n"
        "All five were in stable condition, police said.\n"
    )
    rows = [story for story, _ in story_rows(DocumentMeta(doc_id="d9", raw_text=page, published_at=datetime(2016, 6, 27)))]
    article = next(story for story in rows if story["dateline"])
    assert article["text"].startswith("SPRINGFIELD, Ill.")
    assert (article["published_at"], article["date_source"]) == (datetime(2016, 6, 27), "metadata")


def test_a_placeholder_page_timestamp_does_not_date_the_story():
    page = "0001-01-01 00:00\n\nA gunman wounded two guards at a depot late on Friday, the sheriff said.\n"
    ((story, _),) = story_rows(DocumentMeta(doc_id="d2", raw_text=page))
    assert (story["published_at"], story["date_source"]) == (None, None)


def test_a_line_of_only_zero_width_characters_is_blank_and_offsets_skip_them():
    assert list(story_rows(DocumentMeta(doc_id="d3", raw_text="\u200b\ufeff\n"))) == []
    raw = "\u200bThree miners were hurt when a tunnel roof gave way.\n\u200b\n"
    ((story, _),) = story_rows(DocumentMeta(doc_id="d4", raw_text=raw))
    assert story["text"] == "Three miners were hurt when a tunnel roof gave way."
    (block,) = blocks_of(raw)
    assert raw[block.raw_start : block.raw_end] == block.text
