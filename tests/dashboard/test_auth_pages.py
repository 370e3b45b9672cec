"""Sign-up, login, logout, the company switcher and accepting invitations (SPEC §4)."""

from stockline.accounts.models import Company, Membership, Role, User
from stockline.accounts.services import invitation_create
from stockline.dashboard.access import SESSION_COMPANY_KEY
from tests.factories import PASSWORD, make_company, make_member


def test_signup_creates_the_company_and_its_owner_and_signs_in(client, db):
    response = client.post(
        "/signup",
        {
            "company_name": "Northwind Supply",
            "name": "Nora",
            "email": "Nora@Example.com",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302 and response.url == "/dashboard"
    company = Company.objects.get(name="Northwind Supply")
    membership = Membership.objects.get(company=company)
    assert membership.role == Role.OWNER and membership.user.email == "nora@example.com"
    assert client.get("/dashboard").status_code == 200


def test_signup_refuses_an_email_that_already_has_an_account(client, owner):
    response = client.post(
        "/signup",
        {
            "company_name": "Takeover Inc",
            "name": "X",
            "email": owner.user.email,
            "password": "another-password-9",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not Company.objects.filter(name="Takeover Inc").exists()


def test_signup_refuses_weak_passwords_and_blank_company_names(client, db):
    response = client.post(
        "/signup", {"company_name": " ", "name": "A", "email": "a@example.com", "password": "pw"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "password" in form.errors and "company_name" in form.errors
    assert not User.objects.filter(email="a@example.com").exists()


def test_login_matches_the_email_case_insensitively_and_logout_needs_post(client, owner):
    response = client.post("/login", {"username": owner.user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/dashboard"
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_login_failure_says_invalid_email_or_password(client, owner):
    response = client.post("/login", {"username": owner.user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Invalid email or password." in response.content.decode()


def test_login_returns_to_the_page_asked_for(client, owner):
    response = client.get("/dashboard/orders")
    assert response.status_code == 302 and response.url == "/login?next=/dashboard/orders"
    response = client.post(
        "/login?next=/dashboard/orders",
        {"username": owner.user.email, "password": PASSWORD, "next": "/dashboard/orders"},
    )
    assert response.url == "/dashboard/orders"


def test_a_user_without_a_company_is_told_so_instead_of_looping_to_login(client, db):
    user = User.objects.create_user("loner@example.com", PASSWORD)
    client.force_login(user)
    response = client.get("/dashboard")
    assert response.status_code == 403
    assert "not on any team" in response.content.decode()


def test_company_switcher_moves_between_the_users_companies_only(client, company, owner):
    second, _ = make_company("Second Co")
    make_member(second, Role.ADMIN, email="both@example.com")
    user = User.objects.get(email="both@example.com")
    Membership.objects.create(user=user, company=company, role=Role.MEMBER)
    client.force_login(user)
    client.post("/dashboard/switch-company", {"company": str(company.id)})
    assert client.get("/dashboard").context["request"].company == company
    client.post("/dashboard/switch-company", {"company": str(second.id)})
    assert client.session[SESSION_COMPANY_KEY] == str(second.id)
    stranger, _ = make_company("Stranger Co")
    assert client.post("/dashboard/switch-company", {"company": str(stranger.id)}).status_code == 404


def test_invitation_link_signs_up_a_new_user_into_the_team(client, company, actor):
    _, token = invitation_create(actor=actor, role=Role.MEMBER)
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200 and company.name in page.content.decode()
    response = client.post(
        f"/invite/{token}", {"name": "Newbie", "email": "newbie@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="newbie@example.com")
    assert membership.company == company and membership.role == Role.MEMBER
    assert client.get("/dashboard").status_code == 200
    assert client.get(f"/invite/{token}").status_code == 404  # single use


def test_invitation_link_adds_a_signed_in_user_and_switches_to_that_company(client, company, actor):
    _, other_owner = make_company("Elsewhere")
    _, token = invitation_create(actor=actor, role=Role.ADMIN)
    client.force_login(other_owner.user)
    response = client.post(f"/invite/{token}")
    assert response.status_code == 302
    assert Membership.objects.get(user=other_owner.user, company=company).role == Role.ADMIN
    assert client.session[SESSION_COMPANY_KEY] == str(company.id)


def test_unknown_invitation_link_is_a_404(client, db):
    assert client.get("/invite/not-a-real-token").status_code == 404
