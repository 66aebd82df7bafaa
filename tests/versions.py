"""Edits as a browser or an API client makes them: with the version of the record it loaded first (safe
concurrent editing, app.models.versioned)."""
import re
from html.parser import HTMLParser

VERSION_FIELD = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')


def loaded_version(html: bytes) -> str:
    """The version an edit form carries as a hidden field."""
    return VERSION_FIELD.search(html.decode()).group(1)


def post_edit(client, url: str, data: dict, **kwargs):
    """Open the edit form at ``url`` and post ``data`` with the version the form was loaded with."""
    return client.post(url, data={**data, "version": loaded_version(client.get(url).data)}, **kwargs)


def put_record(client, url: str, json: dict, **kwargs):
    """GET the API record at ``url``, then PUT ``json`` with the version the GET showed."""
    return client.put(url, json={**json, "version": client.get(url).json["result"]["version"]}, **kwargs)


class _FormValues(HTMLParser):
    """What a browser posts from the page's record form (FAB's ``model_form``) as it was loaded."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.inside = False
        self.select: tuple[str, list[str], bool] | None = None  # name, option values, multiple
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "model_form":
            self.inside = True
        if not self.inside or "name" not in attrs and tag in ("input", "select", "textarea"):
            return
        if tag == "input" and (attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs):
            self.values.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self.select = (attrs["name"], [], "multiple" in attrs)
        elif tag == "option" and self.select is not None:
            name, options, multiple = self.select
            options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self.values.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.values[self.textarea] = [""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.values[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, options, multiple = self.select
            if not multiple and name not in self.values and options:  # a single select posts its first option
                self.values[name] = [options[0]]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.values[self.textarea][0] = self.values[self.textarea][0].removeprefix("\n")
            self.textarea = None


def edit_form(client, url: str) -> dict[str, list[str]]:
    """The edit form at ``url`` as a browser would post it unchanged, its version included."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormValues()
    parser.feed(response.data.decode())
    return parser.values
