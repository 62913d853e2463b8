"""Class rosters: a student_id column under any spelling, Canvas and Moodle exports, every column
kept, and each bad roster refused in one line that names the file and the line."""

from __future__ import annotations

import pytest

from tutor.serve.roster import RosterError, Student, normalize_id, read_roster

CANVAS = (
    '"Student","ID","SIS User ID","SIS Login ID","Section","Quiz 1 (8756)","Current Score"\n'
    '"    Points Possible","","","","","10.00","(read only)"\n'
    ',,,,,"Manual Posting",\n'
    '"Kim, Minsu",1001,"2024123","minsu","Sec A",9,90\n'
    '"Student, Test",1002,"","test_student","Sec A",,\n'
    '"Lee, Jiwoo",1003,"2024456","jiwoo","Sec B",7,70\n'
)
MOODLE = (
    "First name,Surname,ID number,Institution,Department,Email address\n"
    "Minsu,Kim,2024123,Uni,CS,minsu@example.edu\n"
    "Jiwoo,Lee,2024456,Uni,CS,jiwoo@example.edu\n"
)


def write(tmp_path, text: str | bytes, name: str = "roster.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error_of(path) -> str:
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_plain_roster_keeps_every_column_in_order(tmp_path):
    path = write(tmp_path, "student_id,name,section\ns1,Kim,A\ns2,Lee,B\n")
    roster = read_roster(path)
    assert roster.headers == ["student_id", "name", "section"]
    assert roster.id_column == "student_id"
    assert roster.students == [
        Student("s1", {"student_id": "s1", "name": "Kim", "section": "A"}),
        Student("s2", {"student_id": "s2", "name": "Lee", "section": "B"}),
    ]
    assert list(roster.students[0].columns) == roster.headers


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbfstudent_id,name\r\ns1,Kim\r\n")
    roster = read_roster(path)
    assert roster.headers == ["student_id", "name"]
    assert [s.id for s in roster.students] == ["s1"]


@pytest.mark.parametrize(
    "header", ["Student_ID", " student id ", "STUDENT-ID", "StudentID", "student  id", "학번"]
)
def test_the_student_id_header_is_matched_ignoring_case_spaces_and_separators(tmp_path, header):
    roster = read_roster(write(tmp_path, f'name,"{header}"\nKim,s1\n'))
    assert [s.id for s in roster.students] == ["s1"]
    assert roster.id_column == header.strip()


def test_a_canvas_export_uses_the_sis_user_id_and_skips_what_is_not_a_student(tmp_path):
    roster = read_roster(write(tmp_path, CANVAS))
    assert roster.id_column == "SIS User ID"
    assert [s.id for s in roster.students] == ["2024123", "2024456"]
    assert roster.students[0].columns == {
        "Student": "Kim, Minsu",
        "ID": "1001",
        "SIS User ID": "2024123",
        "SIS Login ID": "minsu",
        "Section": "Sec A",
        "Quiz 1 (8756)": "9",
        "Current Score": "90",
    }


def test_a_moodle_export_uses_the_id_number(tmp_path):
    roster = read_roster(write(tmp_path, MOODLE))
    assert roster.id_column == "ID number"
    assert [s.id for s in roster.students] == ["2024123", "2024456"]
    assert roster.students[1].columns["Email address"] == "jiwoo@example.edu"


def test_a_moodle_export_without_id_numbers_falls_back_to_the_username(tmp_path):
    text = "Username,First name,Email address\nminsu,Minsu,minsu@example.edu\n"
    roster = read_roster(write(tmp_path, text))
    assert roster.id_column == "Username"
    assert [s.id for s in roster.students] == ["minsu"]


def test_a_student_id_column_wins_over_the_lms_columns(tmp_path):
    text = 'Student,ID,SIS User ID,student_id\n"Kim, Minsu",1001,2024123,kim\n'
    roster = read_roster(write(tmp_path, text))
    assert roster.id_column == "student_id"
    assert [s.id for s in roster.students] == ["kim"]


def test_the_lms_internal_id_is_never_the_student_id(tmp_path):
    message = error_of(write(tmp_path, "ID,name\n1001,Kim\n"))
    assert message.startswith(f"{tmp_path / 'roster.csv'}:1: no student_id column")


def test_a_list_without_a_header_is_refused_not_read_as_students(tmp_path):
    message = error_of(write(tmp_path, "s1\ns2\ns3\n"))
    assert message.startswith(f"{tmp_path / 'roster.csv'}:1: no student_id column")


def test_blank_lines_are_skipped_and_lines_are_counted_with_them(tmp_path):
    text = "\n\nstudent_id,name\n\ns1,Kim\n , ,\ns2,Lee\n\n"
    roster = read_roster(write(tmp_path, text))
    assert [s.id for s in roster.students] == ["s1", "s2"]
    path = write(tmp_path, "student_id,name\n\ns1,Kim\n\n,,\ns12,Lee\ns12,Park\n")
    assert error_of(path) == f"{path}:7: duplicate student_id 's12' (first on line 6)"


def test_a_duplicate_id_names_both_lines(tmp_path):
    path = write(tmp_path, "student_id\ns1\ns2\ns1\n")
    assert error_of(path) == f"{path}:4: duplicate student_id 's1' (first on line 2)"


def test_ids_are_stripped_and_nfkc_normalised_but_case_sensitive(tmp_path):
    assert normalize_id(" ２０２４１２３ ") == "2024123"
    roster = read_roster(write(tmp_path, "student_id\n  S12 \ns12\n"))
    assert [s.id for s in roster.students] == ["S12", "s12"]
    path = write(tmp_path, "student_id\ns12\nｓ１２\n")
    assert error_of(path) == f"{path}:3: duplicate student_id 's12' (first on line 2)"


def test_an_empty_id_is_an_error_with_its_line(tmp_path):
    path = write(tmp_path, "student_id,name\ns1,Kim\n  ,Lee\n")
    message = error_of(path)
    assert message.startswith(f"{path}:3: empty student_id")


def test_an_empty_lms_id_names_the_column(tmp_path):
    text = MOODLE.replace("2024456", "")
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:3: empty student_id (ID number)")


def test_line_numbers_count_the_lines_inside_quoted_cells(tmp_path):
    path = write(tmp_path, 'student_id,note\ns1,"two\nlines"\ns1,x\n')
    assert error_of(path) == f"{path}:4: duplicate student_id 's1' (first on line 2)"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty file"),
        ("\n\n", 1, "empty file"),
        ("student_id,name\n", 1, "no students"),
        ("name,email\nKim,kim@example.edu\n", 1, "no student_id column"),
        ("student_id,Student ID\ns1,s1\n", 1, "two student_id columns"),
        ("student_id,name,name\ns1,a,b\n", 1, "two columns are named 'name'"),
        ("student_id,name\ns1,Kim,extra\n", 2, "3 cells, but the header has 2 columns"),
        ("student_id\ns1\ns\x07x\n", 3, "control or invisible"),
        ("student_id\n" + "s" * 129 + "\n", 2, "longer than 128"),
    ],
)
def test_each_bad_roster_is_one_line_with_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: ")
    assert words in message


def test_text_that_is_not_utf8_says_so_with_its_line(tmp_path):
    path = write(tmp_path, b"student_id,name\ns1,Kim\ns2," + "이".encode("cp949") + b"\n")
    message = error_of(path)
    assert message.startswith(f"{path}:3: not UTF-8")


def test_utf16_is_refused_in_one_line(tmp_path):
    path = write(tmp_path, "student_id\ns1\n".encode("utf-16"))
    assert error_of(path).startswith(f"{path}:1: UTF-16")


def test_a_missing_file_is_one_line(tmp_path):
    message = error_of(tmp_path / "nowhere.csv")
    assert message.startswith(f"{tmp_path / 'nowhere.csv'}: cannot read the roster")


def test_trailing_empty_cells_and_empty_headers_are_dropped(tmp_path):
    roster = read_roster(write(tmp_path, "student_id,name,\ns1,Kim,,\n"))
    assert roster.headers == ["student_id", "name"]
    assert roster.students[0].columns == {"student_id": "s1", "name": "Kim"}


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_rosters(tmp_path, separator):
    text = separator.join(["student_id", "name"]) + "\n" + separator.join(["s1", "Kim, M"])
    roster = read_roster(write(tmp_path, text + "\n"))
    assert roster.students == [Student("s1", {"student_id": "s1", "name": "Kim, M"})]
