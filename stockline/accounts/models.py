from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q

from stockline.core.models import TimestampedModel, UUIDModel


class Role(models.TextChoices):
    OWNER = "OWNER", "Owner"
    ADMIN = "ADMIN", "Admin"
    MEMBER = "MEMBER", "Member"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(UUIDModel, AbstractBaseUser, PermissionsMixin):
    """A staff person. Users are global; a Membership ties one to a company with a role."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email


class Company(TimestampedModel):
    """A tenant: one distributor. Every other row belongs to exactly one company."""

    DEFAULT_LOW_STOCK_THRESHOLD = 5

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    low_stock_threshold = models.PositiveIntegerField(default=DEFAULT_LOW_STOCK_THRESHOLD)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(condition=Q(low_stock_threshold__gte=0), name="company_threshold_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimestampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_user_company"),
            models.UniqueConstraint(
                fields=["company"], condition=Q(role="OWNER"), name="membership_one_owner"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["OWNER", "ADMIN", "MEMBER"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"


class Invitation(UUIDModel):
    """A link that adds its acceptor to the company with `role`. Single use, expires after 7 days.

    Only a SHA-256 hash of the token is stored: the link is shown once, like an API key.
    """

    VALID_FOR_DAYS = 7

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=10, choices=[(Role.ADMIN, "Admin"), (Role.MEMBER, "Member")])
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="invitation_company_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["ADMIN", "MEMBER"]), name="invitation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.company_id} as {self.role}"

    def is_open(self, now) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class LoginThrottle(models.Model):
    """Failed sign-ins (staff and every store's customers) counted per key, a hash of scope +
    email + address or of scope + address, in fixed windows shared by every web process
    (accounts/login_throttle.py)."""

    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.DateTimeField(db_index=True)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key[:12]}…: {self.failures} since {self.window_start}"
