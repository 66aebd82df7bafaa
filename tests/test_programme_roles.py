"""Who opens the programme pages: clerks their township's records, district and city admins also the
institutions, leaders read everything, and the system, security and audit admins nothing (三员分立)."""
import pytest

TOWNSHIP_PAGES = ["/coordinators/list/", "/trainingactivities/list/", "/serviceplans/list/",
                  "/worksummaries/list/", "/declarationcandidates/list/", "/smeassistance/list/"]
INSTITUTION_PAGES = ["/institutions/list/"]
MAY_OPEN = {
    "sysadmin": set(), "secadmin": set(), "auditor": set(),
    "clerka1": set(TOWNSHIP_PAGES),
    "districta": set(TOWNSHIP_PAGES + INSTITUTION_PAGES),
    "cityadmin": set(TOWNSHIP_PAGES + INSTITUTION_PAGES),
    "leader": set(TOWNSHIP_PAGES + INSTITUTION_PAGES),
}
ADD_PAGES = {"clerka1": TOWNSHIP_PAGES, "districta": TOWNSHIP_PAGES + INSTITUTION_PAGES,
             "cityadmin": TOWNSHIP_PAGES + INSTITUTION_PAGES, "leader": []}


@pytest.mark.parametrize("username", sorted(MAY_OPEN))
def test_each_role_opens_exactly_its_programme_pages(login, username):
    client = login(username)
    html = client.get("/").data.decode()
    for url in TOWNSHIP_PAGES + INSTITUTION_PAGES:
        expected = 200 if url in MAY_OPEN[username] else 403
        assert client.get(url).status_code == expected, (username, url)
        assert (url in html) == (url in MAY_OPEN[username]), (username, url, "menu")


@pytest.mark.parametrize("username", sorted(ADD_PAGES))
def test_who_may_add(login, username):
    client = login(username)
    for url in TOWNSHIP_PAGES + INSTITUTION_PAGES:
        add = url.replace("/list/", "/add")
        assert client.get(add).status_code == (200 if url in ADD_PAGES[username] else 403), (username, add)


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_administrators_read_no_programme_data_through_the_api(login, username):
    client = login(username)
    for resource in ("coordinator", "trainingactivity", "serviceplan", "worksummary", "declarationcandidate",
                     "smeassistance", "institution"):
        assert client.get(f"/api/v1/{resource}/").status_code in (401, 403), (username, resource)
