"""An uploaded import file waiting between its preview and its commit.

It lives in the database, not on one server's disk: behind a load balancer the commit may reach another
server than the preview did. A file belongs to the user who uploaded it and is dropped after a day."""
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, ForeignKey, Integer, LargeBinary, String, delete

from app.models.base import Model, db

KEEP = timedelta(days=1)  # a preview left without commit or cancel is dropped after a day


class PendingImport(Model):
    __tablename__ = "pending_import"

    id = Column(Integer, primary_key=True)
    # The signed session names the file by this random token; the form never does.
    token = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    uploaded_at = Column(DateTime, nullable=False, default=datetime.now, index=True)
    content = Column(LargeBinary, nullable=False)

    @classmethod
    def keep(cls, token: str, user_id: int, content: bytes) -> None:
        """The user's new upload replaces their earlier one; files older than a day go with it."""
        db.session.execute(delete(cls).where((cls.user_id == user_id) | (cls.uploaded_at < datetime.now() - KEEP)))
        db.session.add(cls(token=token, user_id=user_id, content=content))
        db.session.commit()

    @classmethod
    def take(cls, token: str, user_id: int) -> bytes | None:
        """The file under ``token`` if ``user_id`` uploaded it less than a day ago, deleted in the caller's
        transaction: of two commits of one file at once (two servers, two tabs) the second finds nothing
        once the first is committed, and a rollback keeps the file."""
        return db.session.scalar(delete(cls).where(
            cls.token == token, cls.user_id == user_id, cls.uploaded_at >= datetime.now() - KEEP,
        ).returning(cls.content))
