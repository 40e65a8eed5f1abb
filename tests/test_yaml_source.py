"""Reading one YAML entry: positions of values, and syntax problems as diagnostics."""

from mechatlas.load.yaml_source import parse_yaml, read_text


def test_positions_point_at_values_and_keys():
    doc, problems = parse_yaml("id: a\nname:\n  en: Alpha\n  zh: 甲\n", "x.yaml")
    assert problems == []
    assert doc.position(("name", "zh")) == (4, 7)
    assert doc.position(("name", "zh"), key=True) == (4, 3)


def test_position_of_missing_value_falls_back_to_its_parent():
    doc, _ = parse_yaml("id: a\nname:\n  en: Alpha\n", "x.yaml")
    assert doc.position(("name", "zh")) == (3, 3)


def test_duplicate_key_is_reported_at_the_second_key():
    _, problems = parse_yaml("id: a\nid: b\n", "x.yaml")
    assert [str(p) for p in problems] == [
        "x.yaml:2:1: duplicate-key: key 'id' appears twice in this mapping "
        "(first on line 1); keep one"
    ]


def test_tab_indentation_is_a_syntax_error_with_a_hint():
    doc, problems = parse_yaml("id: a\nname:\n\ten: A\n", "x.yaml")
    assert doc is None
    assert len(problems) == 1
    assert problems[0].code == "yaml-syntax"
    assert (problems[0].line, problems[0].col) == (3, 1)
    assert "tabs" in problems[0].message


def test_unclosed_quote_is_a_syntax_error_with_a_location():
    _, problems = parse_yaml('id: "a\nname: b\n', "x.yaml")
    assert [(p.code, p.line) for p in problems] == [("yaml-syntax", 2)]  # never past the end


def test_empty_file_is_reported():
    _, problems = parse_yaml("# only a comment\n\n", "x.yaml")
    assert [(p.code, p.line, p.col) for p in problems] == [("empty-file", 1, 1)]


def test_non_utf8_file_names_the_first_bad_byte(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"id: a\nname: caf" + b"\xe9\n")
    text, problems = read_text(path, "x.yaml")
    assert text is None
    assert [str(p) for p in problems] == [
        "x.yaml:2:10: file-encoding: byte 0xe9 is not UTF-8; save the file as UTF-8"
    ]
