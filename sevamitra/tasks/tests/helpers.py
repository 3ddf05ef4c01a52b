"""Test helpers for background jobs, shared with other apps' tests."""


class Recorder:
    """A handler that remembers its calls and can be told to fail."""

    def __init__(self, fail_with: BaseException | None = None) -> None:
        self.calls: list[dict] = []
        self.fail_with = fail_with

    def __call__(self, **kwargs) -> None:
        self.calls.append(kwargs)
        if self.fail_with is not None:
            raise self.fail_with


class WorkerDied(BaseException):
    """Stands for the worker process being killed mid-job: nothing of ours catches it."""
