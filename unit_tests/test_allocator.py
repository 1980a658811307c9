"""The console script's allocator setting (run.py)."""


def test_one_malloc_arena_takes_effect_on_glibc_and_is_skipped_elsewhere(monkeypatch):
    """run.py asks glibc for one malloc arena before any thread starts; off glibc it does nothing."""
    import platform

    from source_linkedin_learning.run import one_malloc_arena

    assert one_malloc_arena() is (platform.system() == "Linux" and platform.libc_ver()[0] == "glibc")
    monkeypatch.setattr(platform, "libc_ver", lambda *args, **kwargs: ("musl", "1.2"))
    assert one_malloc_arena() is False
