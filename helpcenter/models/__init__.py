"""All models, imported here so Alembic and the app see every table."""

from helpcenter.models.analytics import (
    AnswerAlert,
    ArticleView,
    Gap,
    HelpfulVote,
    SearchClick,
    SearchDay,
    SearchEvent,
)
from helpcenter.models.community import (
    CategoryFollow,
    ComposerEvent,
    Flag,
    Follow,
    Notification,
    Post,
    PostRevision,
    PostVote,
    SupportRequest,
    Thread,
    ThreadEvent,
)
from helpcenter.models.content import (
    Article,
    ArticleRedirect,
    ArticleRevision,
    Category,
    SynonymGroup,
    TranscriptCue,
)
from helpcenter.models.goals import Goal
from helpcenter.models.jobs import Job, JobStatus
from helpcenter.models.search import (
    SearchDocument,
    SearchOutbox,
    SearchPosting,
    SearchState,
    SearchTerm,
)
from helpcenter.models.shared import CacheVersion, RateLimitCounter
from helpcenter.models.user import ApiToken, AuditEntry, SignInThrottle, User
from helpcenter.models.webhooks import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMark,
)

__all__ = [
    "AnswerAlert",
    "ArticleRedirect",
    "ArticleRevision",
    "CategoryFollow",
    "ComposerEvent",
    "Flag",
    "Gap",
    "Goal",
    "Follow",
    "Notification",
    "Post",
    "PostRevision",
    "PostVote",
    "Thread",
    "ThreadEvent",
    "ApiToken",
    "Article",
    "AuditEntry",
    "ArticleView",
    "CacheVersion",
    "Category",
    "HelpfulVote",
    "Job",
    "JobStatus",
    "SearchClick",
    "SearchDay",
    "SearchEvent",
    "RateLimitCounter",
    "SearchDocument",
    "SearchOutbox",
    "SearchPosting",
    "SearchState",
    "SearchTerm",
    "SignInThrottle",
    "SupportRequest",
    "SynonymGroup",
    "TranscriptCue",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookMark",
]
