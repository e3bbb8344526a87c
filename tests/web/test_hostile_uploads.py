"""Hostile uploads to the workbench: too large, bombs, tags and tricky file names.

Each is refused with a message that names what was wrong (the kind of file and its limit, the
part of the archive, the line of the YAML) in the one error shape of the API or on the error
page, and nothing is written.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from starlette.testclient import TestClient

from koers.services.workbench import MAX_OBSERVATION_BYTES, MAX_YAML_BYTES

YAML = {"content-type": "application/yaml"}
CSV = {"content-type": "text/csv"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bomb() -> bytes:
    """A workbook of one observation with a member of 5,000,000 zero bytes (about 5 kB
    deflated: a ratio near 1,000)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(("indicator", "regio", "periode", "waarde"))
    sheet.append(("ziekteverzuim", "GM0355", "2024-01", 5.5))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/x.bin", bytes(5_000_000))
    return buffer.getvalue()


def _state(client: TestClient, study_id: int) -> tuple[Any, ...]:
    """What an import could change: the studies, the signals and the strategy."""
    return (
        client.get("/api/studies").json()["studies"],
        client.get(f"/api/studies/{study_id}/signals").json(),
        client.get(f"/api/studies/{study_id}/strategy").json(),
        client.get(f"/api/studies/{study_id}").json(),
    )


# Too large -----------------------------------------------------------------------------------


def test_an_oversized_study_file_names_its_kind_and_limit(
    client: TestClient, study_id: int
) -> None:
    before = _state(client, study_id)
    big = b"# " + b"x" * MAX_YAML_BYTES
    api = client.post("/api/studies/import", content=big, headers=YAML)
    assert api.status_code == 413
    assert api.json()["error"] == {
        "status": 413,
        "message": "The file is too large: a study file (YAML: .yaml or .yml) may be at most 2 MB.",
        "problems": [],
    }
    page = client.post("/studies/import", files={"file": ("groot.yaml", big, "application/yaml")})
    assert page.status_code == 413
    assert "Het bestand is te groot: een studiebestand (YAML: .yaml of .yml) mag" in page.text
    assert "ten hoogste 2 MB" in page.text
    assert _state(client, study_id) == before


def test_an_oversized_table_names_its_kind_and_limit(client: TestClient, study_id: int) -> None:
    before = _state(client, study_id)
    big = b"indicator,regio,periode,waarde\n" + b"x" * MAX_OBSERVATION_BYTES
    for url in (
        f"/api/studies/{study_id}/observations",
        f"/api/studies/{study_id}/strategy/registers?name=beleid.csv",
    ):
        api = client.post(url, content=big, headers=CSV)
        assert api.status_code == 413, url
        message = api.json()["error"]["message"]
        assert message.startswith("The file is too large: a table (CSV")
        assert message.endswith("may be at most 20 MB.")
    page = client.post(
        f"/studies/{study_id}/signals/import", files={"file": ("groot.csv", big, "text/csv")}
    )
    assert page.status_code == 413
    assert "mag ten hoogste 20 MB" in page.text
    assert _state(client, study_id) == before


def test_a_table_above_the_yaml_limit_is_taken(client: TestClient, study_id: int) -> None:
    # 3 MB is above the 2 MB of a study file and below the 20 MB of a table: the size is
    # fine, so the content is read (and found wanting: 422, not 413).
    big = b"indicator,regio,periode,waarde\n" + b"x" * 3_000_000
    api = client.post(f"/api/studies/{study_id}/observations", content=big, headers=CSV)
    assert api.status_code == 422, api.text


def test_a_body_above_every_limit_is_refused_unread(client: TestClient) -> None:
    big = b"x" * (MAX_OBSERVATION_BYTES + 100_000)
    api = client.post("/api/studies/import", content=big, headers=YAML)
    assert api.status_code == 413
    assert api.json()["error"]["message"] == (
        "Koers takes a study file (YAML) of at most 2 MB and a table (CSV or Excel) of at "
        "most 20 MB."
    )


def test_a_wrong_kind_names_what_is_taken(client: TestClient, study_id: int) -> None:
    html = {"content-type": "text/html"}
    study = client.post("/api/studies/import", content=b"<p>", headers=html)
    assert study.status_code == 415
    assert "a study file (YAML" in study.json()["error"]["message"]
    table = client.post(f"/api/studies/{study_id}/observations", content=b"<p>", headers=html)
    assert table.status_code == 415
    assert "a table (CSV" in table.json()["error"]["message"]


# Bombs and tags ------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_everywhere(client: TestClient, study_id: int) -> None:
    before = _state(client, study_id)
    bomb = _bomb()
    headers = {"content-type": XLSX}
    for url in (
        f"/api/studies/{study_id}/observations?name=bom.xlsx",
        f"/api/studies/{study_id}/strategy/registers?name=bom.xlsx",
    ):
        api = client.post(url, content=bomb, headers=headers)
        assert api.status_code == 422, url
        problem = api.json()["error"]["problems"][0]
        assert problem["path"] == "bom.xlsx"
        assert "'xl/media/x.bin' unpacks" in problem["message"]
    for url in (f"/studies/{study_id}/signals/import", f"/studies/{study_id}/strategy/import"):
        page = client.post(url, files={"file": ("bom.xlsx", bomb, XLSX)})
        assert page.status_code == 422, url
        assert "unpacks" in page.text and "bom.xlsx" in page.text
    assert _state(client, study_id) == before


def test_a_yaml_bomb_and_a_python_tag_are_refused(client: TestClient, study_id: int) -> None:
    before = _state(client, study_id)
    bomb = 'a: &a ["lol", "lol"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    api = client.post("/api/studies/import", content=bomb.encode(), headers=YAML)
    assert api.status_code == 422
    problems = api.json()["error"]["problems"]
    # 'b: &b [*a, *a]': the aliases start in columns 8 and 12; 'c: [*b, *b]': in 5 and 9
    assert [(p["line"], p["column"]) for p in problems] == [(2, 8), (2, 12), (3, 5), (3, 9)]
    tag = "title: !!python/object/apply:os.system ['true']\n"
    page = client.post("/studies/import", files={"file": ("tag.yaml", tag, "application/yaml")})
    assert page.status_code == 422
    assert "!!python/object/apply:os.system" in page.text and "tag.yaml" in page.text
    assert _state(client, study_id) == before


# File names ----------------------------------------------------------------------------------

TRICKY_NAMES = [
    ("../../etc/passwd.csv", "passwd.csv"),
    ("/etc/passwd.csv", "passwd.csv"),
    ("..\\..\\windows\\win.csv", "win.csv"),
    ("C:\\Users\\piet\\cijfers.csv", "cijfers.csv"),
    ("CON.csv", "CON.csv"),
    ("kapot\x00.csv", "kapot.csv"),
    ("a" * 300 + ".csv", "a" * 96 + ".csv"),
]
"""Names an upload may carry, and the name Koers shows (the last part, printable, at most
100 characters with the extension kept)."""


def _multipart(name: str, data: bytes, kind: str) -> dict[str, Any]:
    """A form upload of ``data`` named ``name`` exactly as given (httpx would escape a NUL)."""
    body = (
        b"--GRENS\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + name.encode() + b'"\r\n'
        b"Content-Type: " + kind.encode() + b"\r\n\r\n" + data + b"\r\n--GRENS--\r\n"
    )
    return {"content": body, "headers": {"content-type": "multipart/form-data; boundary=GRENS"}}


def test_tricky_file_names_are_cut_to_their_base(client: TestClient, study_id: int) -> None:
    table = b"indicator,regio,periode,waarde\nonbekend,GM0355,2024-01,1\n"
    for name, shown in TRICKY_NAMES:
        for url in (f"/studies/{study_id}/signals/import", f"/studies/{study_id}/strategy/import"):
            page = client.post(url, **_multipart(name, table, "text/csv"))
            assert page.status_code == 422, (url, name, page.text[:300])
            assert f"{shown}</" in page.text or f"{shown}." in page.text, (url, name)
            assert "etc/" not in page.text and "Users" not in page.text
        study = b"title: {nl: Kapot\n"
        yaml_name = name.removesuffix(".csv") + ".yaml"
        page = client.post("/studies/import", **_multipart(yaml_name, study, "application/yaml"))
        assert page.status_code == 422
        assert shown.removesuffix(".csv")[:95] + ".yaml" in page.text  # 100 characters at most
        assert "etc/" not in page.text and "Users" not in page.text


def test_a_name_longer_than_a_form_header_is_refused(client: TestClient, study_id: int) -> None:
    # python-multipart takes part headers of at most 4,224 bytes (4096 + 128)
    name = "a" * 5000 + ".csv"
    page = client.post(f"/studies/{study_id}/signals/import", **_multipart(name, b"x", "text/csv"))
    assert page.status_code == 400


def test_the_services_never_use_a_name_as_a_path(client: TestClient, study_id: int) -> None:
    from koers.errors import ValidationError

    workbench = client.app.state.workbench  # type: ignore[attr-defined]
    table = b"indicator,regio,periode,waarde\nonbekend,GM0355,2024-01,1\n"
    for name, shown in TRICKY_NAMES:
        for use in (workbench.import_observations, workbench.import_registers):
            with pytest.raises(ValidationError) as caught:
                use(study_id, table, name)
            paths = {p.path for p in caught.value.problems if p.path}
            assert paths and all(p.startswith(shown) and "/" not in p for p in paths), paths
