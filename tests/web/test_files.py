"""Study files in and out, and input meant to hurt: too large, wrong type, paths, markup."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

STUDIES = Path(__file__).parents[1] / "data" / "studies"
YAML = {"content-type": "application/yaml"}


def test_export_and_import_round_trip_through_the_api(client: TestClient, study_id: int) -> None:
    exported = client.get(f"/api/studies/{study_id}/export")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    assert "attachment" in exported.headers["content-disposition"]
    imported = client.post("/api/studies/import", content=exported.content, headers=YAML)
    assert imported.status_code == 201, imported.text
    new_id = imported.json()["id"]
    assert client.get(f"/api/studies/{new_id}/export").text == exported.text
    first = client.get(f"/api/studies/{study_id}").text.replace(f"/studies/{study_id}", "/s")
    second = client.get(f"/api/studies/{new_id}").text.replace(f"/studies/{new_id}", "/s")
    assert second.replace(f'"id":{new_id}', "") == first.replace(f'"id":{study_id}', "")


def test_import_with_the_upload_form(client: TestClient, study_id: int) -> None:
    text = client.get(f"/studies/{study_id}/export.yaml").content
    response = client.post(
        "/studies/import", files={"file": ("mijn studie.yaml", text, "application/x-yaml")}
    )
    assert response.status_code == 303
    assert client.get(response.headers["location"]).status_code == 200


def test_create_from_a_template_with_the_form(client: TestClient) -> None:
    response = client.post(
        "/studies",
        data={
            "template": "corona-lokale-besturen",
            "organisation": "Gemeente Ede",
            "municipality": "gm0228",
            "language": "en",
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Gemeente Ede" in page.text and "GM0228" in page.text
    unknown = client.post("/studies", data={"template": "../../etc/passwd"})
    assert unknown.status_code == 404
    assert "sjabloon" in unknown.text or "template" in unknown.text


def test_a_broken_file_is_explained_with_line_and_column(client: TestClient) -> None:
    text = "title: {nl: Kapot}\norganisation: Gemeente X\nhorizon: 2030-13-45\n"
    response = client.post("/api/studies/import", content=text.encode(), headers=YAML)
    assert response.status_code == 422
    error = response.json()["error"]
    assert set(error) == {"status", "message", "problems"}
    assert error["problems"][0]["line"] == 3
    page = client.post(
        "/studies/import", files={"file": ("kapot.yaml", text.encode(), "application/x-yaml")}
    )
    assert page.status_code == 422
    assert "kapot.yaml" in page.text and "Controleer uw invoer" in page.text


def test_an_oversized_upload_is_refused(client: TestClient) -> None:
    big = b"# " + b"x" * 3_000_000
    api = client.post("/api/studies/import", content=big, headers=YAML)
    assert api.status_code == 413
    assert api.json()["error"]["status"] == 413
    page = client.post("/studies/import", files={"file": ("big.yaml", big, "application/x-yaml")})
    assert page.status_code == 413
    assert "Het bestand is te groot" in page.text
    assert client.get("/api/studies").json()["studies"] == []


def test_a_wrong_content_type_is_refused(client: TestClient) -> None:
    api = client.post(
        "/api/studies/import", content=b"<html></html>", headers={"content-type": "text/html"}
    )
    assert api.status_code == 415
    page = client.post(
        "/studies/import", files={"file": ("s.exe", b"MZ", "application/x-msdownload")}
    )
    assert page.status_code == 415
    not_utf8 = client.post(
        "/api/studies/import", content="titel: é".encode("latin-1"), headers=YAML
    )
    assert not_utf8.status_code == 422
    assert "UTF-8" in not_utf8.text


def test_path_traversal_in_ids_finds_nothing(client: TestClient, study_id: int) -> None:
    for url in (
        f"/studies/{study_id}/scenarios/..%2F..%2Fetc%2Fpasswd",
        f"/studies/{study_id}/scenarios/%2e%2e",
        "/studies/..%2F1",
        "/api/studies/1%20OR%201=1",
        "/studies/99999999999999999999",
        "/api/studies/3000000000",
        "/studies/0",
        "/studies/-1",
        f"/api/studies/{study_id}/scenarios/..%2Fpasswd",
        "/static/..%2F..%2Fapp.py",
        "/static/../web/app.py",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "root:" not in response.text and "create_app" not in response.text


def test_markup_in_text_fields_is_escaped(client: TestClient, study_id: int) -> None:
    version = client.get(f"/api/studies/{study_id}/scenarios/overleven").json()["version"]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.post(
        f"/studies/{study_id}/scenarios/overleven",
        data={"field": "name", "version": version, "nl": evil, "en": evil},
    )
    assert response.status_code == 303
    for url in (f"/studies/{study_id}", f"/studies/{study_id}/scenarios/overleven"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    assert client.get(f"/api/studies/{study_id}/scenarios/overleven").json()["name"]["nl"] == evil


def test_a_cross_site_form_is_refused(client: TestClient) -> None:
    response = client.post(
        "/studies",
        data={"template": "corona-lokale-besturen"},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert client.get("/api/studies").json()["studies"] == []
