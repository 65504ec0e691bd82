//! Shows that the models can fail. Built with
//! `--cfg baton_loom --cfg baton_loom_broken`, the scheduler has four
//! deliberate bugs and the executor's program cache three, each in a part
//! that only some models exercise:
//!
//! * it decrements its dependency counters with a separate load and store
//!   instead of one atomic `fetch_sub`: two predecessors finishing together
//!   can both read 2 and both write 1, and their common successor is never
//!   released (the counter and worker models);
//! * a caller parking on a `Crew` checks the helpers' count before taking
//!   the crew's lock instead of under it: the last helper can leave and
//!   find nobody parked between the check and the sleep, and the caller
//!   then sleeps forever (the crew model, which uses no counter);
//! * closing the ready queue, it counts the sleepers in a lock hold of its
//!   own before the one that closes: a worker can find the queue open and
//!   sleep between the two, never to be woken (the queue's close model);
//! * opening a stage of a `Gate`, it reads whether anyone parked before
//!   storing the new count instead of after: a waiter can check the old
//!   count and park between the two, and sleeps forever (the gate model);
//! * the program cache, on a miss, inserts a fresh entry under the write
//!   lock instead of joining one another thread inserted since its read:
//!   two threads that missed together each load (the shared-load model);
//! * when a load finds nothing, it removes whatever entry the id has now,
//!   not only its own: a thread still holding the empty first entry evicts
//!   the program another thread has loaded since (the eviction model; the
//!   source there finds nothing only on its first load);
//! * an invalidation keeps the entries still loading: a load that read the
//!   programdata before its write fills its entry after the invalidation
//!   and stays (the invalidation model, which has one asker, so the two
//!   bugs above cannot show).
//!
//! Each test runs an unmodified model against that build and passes only
//! if loom reports the failure.
//!
//! A failing loom model cannot be caught in-process: while the model's
//! threads unwind, loom's own objects panic again in their destructors and
//! the process aborts. So each test re-runs itself as a child process (the
//! test binary, filtered to that one test, with `BATON_LOOM_CHILD` set),
//! where the model runs for real, and asserts that the child failed with
//! the expected diagnosis in its output.
#![cfg(all(baton_loom, baton_loom_broken))]
#![allow(clippy::expect_used)] // test code

use std::process::Command;

use baton_loom_tests::{models, registry, waves};

const CHILD: &str = "BATON_LOOM_CHILD";

/// Run `model` in a child process; assert loom failed it with `expect` in
/// its report. Inside the child, just run the model.
fn assert_loom_fails(test: &str, model: fn(), expect: &str) {
    if std::env::var(CHILD).as_deref() == Ok(test) {
        model();
        return;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let out = Command::new(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("spawn the child test");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "loom did not catch the deliberate bug in `{test}`:\n{report}"
    );
    assert!(
        report.contains(expect),
        "`{test}` failed, but not with `{expect}`:\n{report}"
    );
    eprintln!("as expected, loom caught the deliberate bug in `{test}` ({expect})");
}

/// The counter model sees the common successor released zero times.
#[test]
fn counters_model_catches_racy_decrement() {
    assert_loom_fails(
        "counters_model_catches_racy_decrement",
        models::counters_release_once,
        "tx 2 released 0 times",
    );
}

/// The worker model deadlocks: the successor is never released, so the
/// batch never completes and every worker sleeps on the ready queue.
#[test]
fn workers_model_catches_racy_decrement() {
    assert_loom_fails(
        "workers_model_catches_racy_decrement",
        models::workers_join_two_roots,
        "deadlock",
    );
}

/// The crew model deadlocks: the caller checked the count, the last helper
/// left and found nobody parked, and the caller went to sleep for good.
#[test]
fn crew_model_catches_lost_wakeup() {
    assert_loom_fails(
        "crew_model_catches_lost_wakeup",
        models::crew_park_no_lost_wakeup,
        "deadlock",
    );
}

/// The shared-load model sees the program loaded twice.
#[test]
fn registry_shared_load_model_catches_check_then_insert() {
    assert_loom_fails(
        "registry_shared_load_model_catches_check_then_insert",
        registry::registry_first_asks_share_one_load,
        "source loaded the program 2 times",
    );
}

/// The eviction model sees the program gone from the cache after a thread
/// got it.
#[test]
fn registry_eviction_model_catches_unchecked_removal() {
    assert_loom_fails(
        "registry_eviction_model_catches_unchecked_removal",
        registry::registry_nothing_found_never_evicts_a_program,
        "a program loaded meanwhile was evicted",
    );
}

/// The invalidation model sees the old version after the invalidation.
#[test]
fn registry_invalidate_model_catches_kept_loading_entry() {
    assert_loom_fails(
        "registry_invalidate_model_catches_kept_loading_entry",
        registry::registry_invalidate_leaves_no_stale_program,
        "a program loaded before the write survived its invalidation",
    );
}

/// The queue's close model deadlocks: the consumer registered and slept
/// after the closer had counted no sleeper.
#[test]
fn queue_close_model_catches_lost_wakeup() {
    assert_loom_fails(
        "queue_close_model_catches_lost_wakeup",
        models::queue_close_releases_sleeper,
        "deadlock",
    );
}

/// The gate model deadlocks: a waiter checked the old count and parked
/// after the opener had read that nobody was parked.
#[test]
fn gate_model_catches_lost_wakeup() {
    assert_loom_fails(
        "gate_model_catches_lost_wakeup",
        waves::gate_no_lost_wakeup,
        "deadlock",
    );
}
