//! The loom suite: every model of `baton_loom_tests::models` must pass.
//! Compiled only with `--cfg baton_loom` and without `baton_loom_broken`
//! (that build deliberately breaks the scheduler; see `broken.rs`).
#![cfg(all(baton_loom, not(baton_loom_broken)))]

use baton_loom_tests::{models, registry, waves};

#[test]
fn counters_release_once() {
    models::counters_release_once();
}

#[test]
fn queue_wakes_sleepers() {
    models::queue_wakes_sleepers();
}

#[test]
fn queue_close_releases_sleeper() {
    models::queue_close_releases_sleeper();
}

#[test]
fn workers_fan_out_fan_in() {
    models::workers_fan_out_fan_in();
}

#[test]
fn workers_join_two_roots() {
    models::workers_join_two_roots();
}

#[test]
fn workers_three_threads() {
    models::workers_three_threads();
}

#[test]
fn crew_caller_waits_for_helper() {
    models::crew_caller_waits_for_helper();
}

#[test]
fn crew_park_no_lost_wakeup() {
    models::crew_park_no_lost_wakeup();
}

#[test]
fn registry_first_asks_share_one_load() {
    registry::registry_first_asks_share_one_load();
}

#[test]
fn registry_nothing_found_is_not_cached() {
    registry::registry_nothing_found_is_not_cached();
}

#[test]
fn registry_nothing_found_never_evicts_a_program() {
    registry::registry_nothing_found_never_evicts_a_program();
}

#[test]
fn registry_invalidate_leaves_no_stale_program() {
    registry::registry_invalidate_leaves_no_stale_program();
}

#[test]
fn gate_no_lost_wakeup() {
    waves::gate_no_lost_wakeup();
}

#[test]
fn gate_shut_releases_waiter() {
    waves::gate_shut_releases_waiter();
}

#[test]
fn waves_helper_stays_between_waves() {
    waves::waves_helper_stays_between_waves();
}
