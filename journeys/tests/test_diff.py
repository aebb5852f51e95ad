from journeys.diff import DELETE, EQUAL, INSERT, diff_words, has_changed, render_diff


def test_diff_words_marks_inserted_and_deleted_words():
    chunks = diff_words("We perform twice a year.", "We perform every term.")
    assert (DELETE, "twice a year.") in chunks
    assert (INSERT, "every term.") in chunks
    assert chunks[0] == (EQUAL, "We perform ")


def test_diff_words_of_equal_text_is_one_equal_chunk():
    assert diff_words("Same words here.", "Same words here.") == [(EQUAL, "Same words here.")]


def test_render_diff_uses_ins_and_del_with_text_for_screen_readers():
    html = render_diff("Pupils sing.", "Pupils sing and dance.")
    assert "<ins>" in html
    assert '<span class="visually-hidden">[added: </span>' in html
    assert "and dance." in html
    assert "<del>" in html  # "sing." became "sing and dance."
    assert '<span class="visually-hidden">[removed: </span>' in html


def test_render_diff_escapes_html_in_answers():
    html = render_diff("", "<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_render_diff_keeps_line_breaks():
    assert "<br>" in render_diff("One.\nTwo.", "One.\nTwo and three.")


def test_has_changed_ignores_spacing_only():
    assert not has_changed("a  b\n", "a b")
    assert has_changed("a b", "a c")
    assert has_changed("", "a")
