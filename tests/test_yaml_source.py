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


HARD_CASES = {
    "plain entry": "id: a\nname: {en: Alpha, zh: 甲}\nsummary:\n  en: '*Emphasis* & more!'\n",
    "anchor, no alias": "id: &x a\nname: b\n",
    "alias": "a: &x [1, 2]\nb: *x\nc: *x\n",
    "laughs": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
    "merge key": "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
    "merge key, no anchor": "a:\n  <<: {x: 1}\n",
    "python tag": "a: !!python/object:os.system ls\n",
    "local tag": "a: !local x\n",
    "standard tag": "a: !!str 1\nb: !!int '2'\n",
    "wrong collection tag": "a: !!map [1, 2]\n",
    "non-specific tag": "a: ! 12\n",
    "implicit date": "a: 2021-03-04\n",
    "numbers and nulls": "a: 1\nb: 1.5\nc: ~\nd: true\ne:\n",
    "duplicate keys": "a: 1\nb: [1, [2, [3]]]\nb: [4, [5, [6, [7]]]]\n",
    "complex key": "? [a, b]\n: c\n",
    "deep": "a: " + "[" * 40 + "]" * 40 + "\n",
    "deeper than libyaml allows": "a: " + "[" * 1500 + "]" * 1500 + "\n",
    "deep blocks": "".join(" " * i + f"k{i}:\n" for i in range(30)) + " " * 30 + "v\n",
    "many values": "a: [" + ", ".join("1" * 20_001) + "]\n",
    "many values, deep too": "a: [" + "1, " * 20_005 + "[" * 30 + "]" * 30 + "]\n",
    "syntax error": "a: 'open\nb: c\n",
    "syntax error after depth": "a: " + "[" * 20 + "]" * 20 + "\nb: 'open\n",
    "tab": "a:\n\tb: c\n",
    "control character": "a: b\x07\n",
    "two documents": "a: 1\n---\nb: 2\n",
}


def test_the_fast_path_reports_what_the_event_pass_does():
    """parse_yaml composes first and checks limits as it builds; for every case it gives
    what it gave when the event pass always ran first (data, positions, diagnostics)."""
    for name, text in HARD_CASES.items():
        fast = parse_yaml(text, "x.yaml")
        expected = parse_yaml(text, "x.yaml", compose_first=False)
        assert fast[1] == expected[1], name
        if expected[0] is None:
            assert fast[0] is None, name
        else:
            assert fast[0] is not None, name
            assert (fast[0].data, fast[0].value_positions, fast[0].key_positions) == (
                expected[0].data, expected[0].value_positions, expected[0].key_positions), name
    codes = {name: [d.code for d in parse_yaml(text, "x.yaml")[1]]
             for name, text in HARD_CASES.items()}
    assert codes["laughs"][0] == codes["alias"][0] == "yaml-alias"
    assert codes["deep"] == codes["deep blocks"] == ["too-deep"]
    assert codes["many values"] == ["too-many-values"]
    assert codes["python tag"] == ["yaml-tag"] and codes["merge key"][-1] == "yaml-merge-key"
