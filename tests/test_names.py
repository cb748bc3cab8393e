"""Names a story shares with few others (casualties.names)."""

from casualties.names import story_names


def test_names_are_capitalised_words_other_than_openers_days_months_and_titles() -> None:
    text = (
        "Shooting Leaves One Dead Near Fairway Park\n\n"
        "A man was shot on Delmont Avenue late Saturday, Police Chief Ann Ruiz said in March.\n"
        "The victim, Tyrell Quarles, 19, died at the scene. Officers found him near the Kessler market."
    )
    assert story_names(text) == ["ann", "delmont", "kessler", "quarles", "ruiz", "tyrell"]
