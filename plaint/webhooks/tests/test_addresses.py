"""Which URLs Plaint may call (no SSRF). No test here asks real DNS: hosts are IP literals,
``localhost`` (refused by name), or names answered by a resolver the test gives."""

import pytest

from plaint.webhooks.addresses import UrlRefused, check_url, is_public


def no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"asked DNS for {host}")


def resolver(answers: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        return answers.get(host, [])

    return resolve


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook",
    "https://127.1.2.3:8443/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.9/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://[::1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://[2002:7f00:1::]/hook",
    "https://localhost/hook",
    "https://api.localhost:8000/hook",
])
def test_private_addresses_are_refused_when_private_is_not_allowed(url):
    with pytest.raises(UrlRefused) as refused:
        check_url(url, allow_private=False, resolve=no_dns)
    assert refused.value.code == "webhook_url_private"


@pytest.mark.parametrize("url", ["http://127.0.0.1/hook", "http://93.184.215.14/hook",
                                 "ftp://93.184.215.14/hook", "//93.184.215.14/hook"])
def test_anything_but_https_is_refused(url):
    with pytest.raises(UrlRefused) as refused:
        check_url(url, allow_private=False, resolve=no_dns)
    assert refused.value.code == "webhook_url_not_https"


@pytest.mark.parametrize("url", ["https://user:pw@93.184.215.14/hook", "https://93.184.215.14/hook#x",
                                 "https:///hook", "https://93.184.215.14:99999/hook",
                                 "https://93.184.215.14/" + "x" * 2000])
def test_malformed_urls_are_refused(url):
    with pytest.raises(UrlRefused) as refused:
        check_url(url, allow_private=False, resolve=no_dns)
    assert refused.value.code == "webhook_url_invalid"


def test_a_public_address_is_accepted_without_asking_dns():
    target = check_url("https://93.184.215.14:8443/hooks/plaint?tenant=7", allow_private=False,
                       resolve=no_dns)
    assert (target.host, target.port, target.path, target.address) == (
        "93.184.215.14", 8443, "/hooks/plaint?tenant=7", "93.184.215.14")


def test_a_name_is_accepted_only_if_every_address_it_resolves_to_is_public():
    # given a name that resolves to a public address, and one that also resolves to a private one
    answers = {"crm.example.com": ["93.184.215.14"], "rebind.example.com": ["93.184.215.14", "10.0.0.7"]}
    # then the first is accepted, connecting to the address checked, and the second refused
    target = check_url("https://crm.example.com/hook", allow_private=False, resolve=resolver(answers))
    assert (target.host, target.address) == ("crm.example.com", "93.184.215.14")
    with pytest.raises(UrlRefused) as refused:
        check_url("https://rebind.example.com/hook", allow_private=False, resolve=resolver(answers))
    assert refused.value.code == "webhook_url_private"


def test_a_name_that_resolves_to_nothing_is_refused():
    with pytest.raises(UrlRefused) as refused:
        check_url("https://nowhere.example.com/hook", allow_private=False, resolve=resolver({}))
    assert refused.value.code == "webhook_url_unresolvable"


def test_with_private_allowed_loopback_and_http_are_accepted():
    assert check_url("https://127.0.0.1:8443/h", allow_private=True, resolve=no_dns).address == "127.0.0.1"
    assert check_url("http://[::1]:8080/h", allow_private=True, resolve=no_dns).address == "::1"


def test_public_means_global_unicast():
    import ipaddress

    assert is_public(ipaddress.ip_address("93.184.215.14"))
    assert is_public(ipaddress.ip_address("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))
    for private in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "192.0.2.1", "255.255.255.255",
                    "::", "::1", "ff02::1", "64:ff9b::7f00:1"):
        assert not is_public(ipaddress.ip_address(private)), private
