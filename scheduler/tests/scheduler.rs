//! Deterministic end-to-end cases of `Scheduler::run`.

#![allow(clippy::unwrap_used)] // test code: a failed setup should just fail

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering::SeqCst};

use baton_scheduler::{DependencyGraph, LockSet, Pubkey, Scheduler};

fn k(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

/// `n` transactions that share no account: each writes one and reads another.
fn disjoint(n: u64) -> Vec<LockSet> {
    (0..n)
        .map(|i| LockSet::from_keys(&[k(2 * i)], &[k(2 * i + 1)]))
        .collect()
}

/// Runs `locks` and returns how often each index ran and the order of starts.
fn run_counting(s: &Scheduler, locks: &[LockSet]) -> Vec<u32> {
    let runs: Vec<AtomicU32> = (0..locks.len()).map(|_| AtomicU32::new(0)).collect();
    s.run(locks, |i| {
        runs[i].fetch_add(1, SeqCst);
    });
    runs.into_iter().map(AtomicU32::into_inner).collect()
}

#[test]
fn thread_counts() {
    assert_eq!(Scheduler::new(3).unwrap().threads(), 3);
    let all = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    assert_eq!(Scheduler::with_all_cores().unwrap().threads(), all);
    assert_eq!(Scheduler::new(0).unwrap().threads(), all);
}

#[test]
fn empty_and_single() {
    for t in [1, 2] {
        let s = Scheduler::new(t).unwrap();
        assert!(run_counting(&s, &[]).is_empty());
        assert_eq!(run_counting(&s, &[LockSet::default()]), vec![1]);
        assert_eq!(
            run_counting(&s, &[LockSet::default(), LockSet::default()]),
            vec![1, 1]
        );
    }
}

#[test]
fn every_shape_runs_each_transaction_once() {
    let s = Scheduler::new(4).unwrap().with_serial_fallback(false);
    let n = 5_000u64;
    // Independent.
    let uniform: Vec<LockSet> = (0..n)
        .map(|i| LockSet::from_keys(&[k(3 * i), k(3 * i + 1)], &[k(3 * i + 2)]))
        .collect();
    // A chain through one hot account.
    let hot: Vec<LockSet> = (0..n)
        .map(|i| LockSet::from_keys(&[k(0), k(i + 1)], &[]))
        .collect();
    // Fan-out and fan-in: a writer, many readers, a writer, ...
    let fan: Vec<LockSet> = (0..n)
        .map(|i| {
            if i % 100 == 0 {
                LockSet::from_keys(&[k(0)], &[])
            } else {
                LockSet::from_keys(&[k(i + 1)], &[k(0)])
            }
        })
        .collect();
    for locks in [&uniform, &hot, &fan] {
        assert!(run_counting(&s, locks).iter().all(|&r| r == 1));
    }
}

#[test]
fn chain_runs_in_order_on_any_thread_count() {
    let locks: Vec<LockSet> = (0..1000)
        .map(|_| LockSet::from_keys(&[k(7)], &[]))
        .collect();
    assert!(DependencyGraph::build(&locks).unwrap().is_chain());
    let s = Scheduler::new(2).unwrap();
    let next = AtomicUsize::new(0);
    s.run(&locks, |i| {
        assert_eq!(next.fetch_add(1, SeqCst), i);
    });
    assert_eq!(next.into_inner(), 1000);
}

#[test]
fn readers_between_writers_see_the_right_write() {
    // w(0) r r r w(4) r r ... : every reader must see the latest preceding writer.
    let locks: Vec<LockSet> = (0..2_000u64)
        .map(|i| {
            if i % 4 == 0 {
                LockSet::from_keys(&[k(0)], &[])
            } else {
                LockSet::from_keys(&[k(i + 10)], &[k(0)])
            }
        })
        .collect();
    let s = Scheduler::new(4).unwrap().with_serial_fallback(false);
    let value = AtomicUsize::new(usize::MAX);
    let seen: Vec<AtomicUsize> = (0..locks.len()).map(|_| AtomicUsize::new(0)).collect();
    s.run(&locks, |i| {
        if i % 4 == 0 {
            value.store(i, SeqCst);
        } else {
            seen[i].store(value.load(SeqCst), SeqCst);
        }
    });
    for (i, v) in seen.iter().enumerate().filter(|(i, _)| i % 4 != 0) {
        assert_eq!(v.load(SeqCst), i - i % 4);
    }
}

#[test]
fn a_panicking_transaction_propagates_without_deadlock() {
    let s = Scheduler::new(2).unwrap().with_serial_fallback(false);
    // Two independent chains so both workers are busy; 50 panics.
    let locks: Vec<LockSet> = (0..400u64)
        .map(|i| LockSet::from_keys(&[k(i % 2)], &[]))
        .collect();
    let ran = AtomicUsize::new(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        s.run(&locks, |i| {
            if i == 50 {
                panic!("transaction 50 panics");
            }
            ran.fetch_add(1, SeqCst);
        })
    }));
    assert!(result.is_err());
    // 52, 54, … depend on 50 and must not have run: at most the 200 odd
    // ones and the 25 even ones before 50.
    assert!(ran.load(SeqCst) <= 225);
    // The scheduler is still usable.
    assert_eq!(run_counting(&s, &locks).iter().sum::<u32>(), 400);
}

#[test]
fn a_panic_in_a_later_wave_propagates_and_stops_the_batch() {
    use baton_scheduler::RUN_WAVE;
    let s = Scheduler::new(2).unwrap().with_serial_fallback(false);
    // Three waves of two independent chains: run in waves on 2 threads.
    let n = 3 * RUN_WAVE as u64;
    let locks: Vec<LockSet> = (0..n)
        .map(|i| LockSet::from_keys(&[k(i % 2)], &[]))
        .collect();
    let bad = RUN_WAVE + 100;
    let ran: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
    let result = catch_unwind(AssertUnwindSafe(|| {
        s.run(&locks, |i| {
            if i == bad {
                panic!("a transaction of the second wave panics");
            }
            ran[i].fetch_add(1, SeqCst);
        })
    }));
    assert!(result.is_err());
    // The first wave ran in full; nothing that depends on the panicked
    // transaction did, and no later wave started.
    assert!(ran[..RUN_WAVE].iter().all(|r| r.load(SeqCst) == 1));
    assert!(ran[bad..].iter().step_by(2).all(|r| r.load(SeqCst) == 0));
    assert!(ran[2 * RUN_WAVE..].iter().all(|r| r.load(SeqCst) == 0));
    // The scheduler is still usable, pipelined batches included.
    assert_eq!(run_counting(&s, &locks).iter().sum::<u32>(), n as u32);
}

/// `build_from` on unsorted locks gives the same graph as `build` on the
/// equivalent lock sets when each transaction lists a key once, and the same
/// ordering (reachability) when keys repeat; built in one pass or two, the
/// same graph.
#[test]
fn build_from_matches_build_on_lock_sets() {
    use baton_scheduler::{AccountLock, DependencyGraph, GraphBuilder, LockMode, LockSet};
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let reach = |g: &DependencyGraph, n: usize| -> Vec<Vec<bool>> {
        (0..n)
            .map(|s| {
                let mut seen = vec![false; n];
                let mut stack = vec![s];
                while let Some(v) = stack.pop() {
                    for &w in g.successors(v) {
                        if !seen[w as usize] {
                            seen[w as usize] = true;
                            stack.push(w as usize);
                        }
                    }
                }
                seen
            })
            .collect()
    };
    for round in 0..400u64 {
        let unique = round % 2 == 0;
        let n = 1 + next(40) as usize;
        let txs: Vec<Vec<AccountLock>> = (0..n)
            .map(|_| {
                let mut locks: Vec<AccountLock> = Vec::new();
                for _ in 0..1 + next(5) {
                    let key = baton_types::Pubkey::new_from_u64(next(6 + round % 20));
                    if unique && locks.iter().any(|l| l.key == key) {
                        continue;
                    }
                    let mode = if next(2) == 0 {
                        LockMode::Read
                    } else {
                        LockMode::Write
                    };
                    locks.push(AccountLock { key, mode });
                }
                locks
            })
            .collect();
        let sets: Vec<LockSet> = txs
            .iter()
            .map(|t| LockSet::new(t.iter().map(|l| (l.key, l.mode == LockMode::Write))))
            .collect();
        let a = DependencyGraph::build(&sets).unwrap();
        let b = GraphBuilder::new()
            .build_from(n, 0, |i| txs[i].iter().copied())
            .unwrap();
        // With the locks counted ahead the build takes one pass (a table that
        // small stays in cache), without it two: the same graph either way.
        let total = txs.iter().map(Vec::len).sum();
        let one_pass = GraphBuilder::new()
            .build_from(n, total, |i| txs[i].iter().copied())
            .unwrap();
        assert_eq!(one_pass, b, "round {round}");
        if unique {
            for i in 0..n {
                let (mut sa, mut sb) = (a.successors(i).to_vec(), b.successors(i).to_vec());
                sa.sort_unstable();
                sb.sort_unstable();
                assert_eq!(sa, sb, "round {round} tx {i}");
                assert_eq!(a.predecessor_count(i), b.predecessor_count(i));
            }
        }
        assert_eq!(reach(&a, n), reach(&b, n), "round {round}");
        assert_eq!(a.roots(), b.roots(), "round {round}");
    }
}

/// `run_graph_with_hint` names only transactions of the batch, names in the
/// serial path each one's successor just before running it, in the parallel
/// path names roots ahead of the thread that runs them, and changes nothing
/// about what runs.
#[test]
fn upcoming_hints_name_transactions_of_the_batch_ahead_of_time() {
    let n = 4_000u64;
    let uniform = disjoint(n);
    // Serial (one thread): the hint for i + 1 comes right before i runs.
    let s1 = Scheduler::new(1).unwrap();
    let events = std::sync::Mutex::new(Vec::new());
    s1.run_graph_with_hint(
        DependencyGraph::build(&uniform).unwrap(),
        |i| events.lock().unwrap().push((false, i)),
        |i| events.lock().unwrap().push((true, i)),
    );
    let events = events.into_inner().unwrap();
    let mut expected = Vec::new();
    for i in 0..n as usize {
        if i + 1 < n as usize {
            expected.push((true, i + 1));
        }
        expected.push((false, i));
    }
    assert_eq!(events, expected);

    // Parallel: every transaction runs once; hints name transactions of
    // the batch, most of them not yet started (the next root of the
    // worker's own chunk, or a successor only the running one holds back;
    // a peek at the next chunk may lose the race to another worker).
    let s4 = Scheduler::new(4).unwrap().with_serial_fallback(false);
    let started: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
    let hints = AtomicUsize::new(0);
    let late = AtomicUsize::new(0);
    s4.run_graph_with_hint(
        DependencyGraph::build(&uniform).unwrap(),
        |i| {
            started[i].fetch_add(1, SeqCst);
        },
        |i| {
            hints.fetch_add(1, SeqCst);
            if started[i].load(SeqCst) != 0 {
                late.fetch_add(1, SeqCst);
            }
        },
    );
    assert!(started.iter().all(|r| r.load(SeqCst) == 1));
    assert!(hints.load(SeqCst) >= n as usize / 2);
    assert!(late.load(SeqCst) * 10 < hints.load(SeqCst));

    // A chain: each transaction names the successor it alone holds back.
    let chain: Vec<LockSet> = (0..100).map(|_| LockSet::from_keys(&[k(0)], &[])).collect();
    let graph = DependencyGraph::build(&chain).unwrap();
    let dispatch = baton_scheduler::Dispatch::new(graph, 1);
    let named = std::sync::Mutex::new(Vec::new());
    dispatch.work_with_hint(&|_| {}, &|j| named.lock().unwrap().push(j));
    let named = named.into_inner().unwrap();
    assert!((1..100).all(|j| named.contains(&j)), "{named:?}");
    assert!(named.iter().all(|&j| j < 100));
}

/// `run_graph_alongside` runs every transaction once, returns what the side
/// work returned, and the pool's threads take part: with the side work
/// slow, the batch starts without the caller.
#[test]
fn alongside_runs_the_batch_while_the_caller_works() {
    let n = 20_000u64;
    let uniform = disjoint(n);
    let s = Scheduler::new(2).unwrap().with_serial_fallback(false);
    let caller = std::thread::current().id();
    let runs: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
    let by_pool = AtomicUsize::new(0);
    let side_done = std::sync::atomic::AtomicBool::new(false);
    let before_side = AtomicUsize::new(0);
    let out = s.run_graph_alongside(
        DependencyGraph::build(&uniform).unwrap(),
        |i| {
            runs[i].fetch_add(1, SeqCst);
            if std::thread::current().id() != caller {
                by_pool.fetch_add(1, SeqCst);
            }
            if !side_done.load(SeqCst) {
                before_side.fetch_add(1, SeqCst);
            }
            // Some work per transaction.
            std::hint::black_box((0..200).sum::<u64>());
        },
        |_| {},
        || {
            // Wait (bounded) until the pool has started on the batch.
            let mut spins = 0u64;
            while before_side.load(SeqCst) == 0 && spins < 2_000_000_000 {
                std::hint::spin_loop();
                spins += 1;
            }
            side_done.store(true, SeqCst);
            42
        },
    );
    assert_eq!(out, 42);
    assert!(runs.iter().all(|r| r.load(SeqCst) == 1));
    assert!(
        before_side.load(SeqCst) > 0,
        "the pool did not start before the side work ended"
    );
    assert!(by_pool.load(SeqCst) > 0);
    eprintln!("pool ran {} of {n}", by_pool.load(SeqCst));
}

/// `run_graph_alongside_local`: every transaction runs once, with the state
/// of the thread that runs it; every state made is handed to `done` exactly
/// once, on the thread that made it, before the call returns — for a
/// parallel batch, a chain and one thread.
#[test]
fn local_state_is_made_used_and_handed_back_once() {
    let n = 5_000u64;
    let uniform = disjoint(n);
    let chain: Vec<LockSet> = (0..n)
        .map(|i| LockSet::from_keys(&[k(0), k(10 + i)], &[]))
        .collect();
    for (threads, locks) in [(2, &uniform), (4, &uniform), (2, &chain), (1, &uniform)] {
        let s = Scheduler::new(threads).unwrap().with_serial_fallback(false);
        let made = AtomicUsize::new(0);
        let handed = std::sync::Mutex::new(Vec::new());
        let out = s.run_graph_alongside_local(
            DependencyGraph::build(locks).unwrap(),
            || {
                made.fetch_add(1, SeqCst);
                (std::thread::current().id(), Vec::new())
            },
            |(owner, ran): &mut (std::thread::ThreadId, Vec<usize>), j| {
                assert_eq!(
                    *owner,
                    std::thread::current().id(),
                    "another thread's state"
                );
                ran.push(j);
            },
            |_| {},
            |(owner, ran)| {
                assert_eq!(owner, std::thread::current().id(), "handed back elsewhere");
                handed.lock().unwrap().push(ran);
            },
            || 7,
        );
        assert_eq!(out, 7);
        let handed = handed.into_inner().unwrap();
        assert_eq!(
            handed.len(),
            made.load(SeqCst),
            "{threads} threads: one hand-back per state"
        );
        let mut all: Vec<usize> = handed.into_iter().flatten().collect();
        all.sort_unstable();
        assert_eq!(
            all,
            (0..n as usize).collect::<Vec<_>>(),
            "{threads} threads"
        );
    }
}

/// Work sent while the pool lingers ends the linger: a linger of an hour on
/// every pool thread, then a batch and a broadcast to every pool thread,
/// which can only run once each lingering job has returned. The channel's
/// timeout only turns a hang into a failure.
#[test]
fn new_work_ends_a_linger() {
    use std::sync::mpsc;
    use std::time::Duration;
    for threads in [2, 4] {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let s = Scheduler::new(threads).unwrap();
            for _ in 0..3 {
                s.linger(Duration::from_secs(3600));
                let ran = run_counting(&s, &disjoint(500));
                assert!(ran.iter().all(|&c| c == 1));
                s.linger(Duration::from_secs(3600));
                let seen = s.pool().broadcast(|ctx| ctx.index());
                assert_eq!(seen.len(), threads);
            }
            // A linger that runs out by itself leaves the pool usable, and
            // one thread has nothing to linger on.
            s.linger(Duration::from_micros(50));
            std::thread::sleep(Duration::from_millis(5));
            assert_eq!(s.pool().broadcast(|_| 1).len(), threads);
            let one = Scheduler::new(1).unwrap();
            one.linger(Duration::from_secs(3600));
            assert_eq!(one.pool().install(|| 7), 7);
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(Duration::from_secs(120)).is_ok(),
            "the pool was still lingering ({threads} threads)"
        );
    }
}

/// A caller waiting on a `Crew` returns only once every helper has left,
/// however long they take (past the spin budget, the caller parks and the
/// last helper wakes it), and sees what the helpers wrote before leaving.
#[test]
fn crew_waits_for_slow_helpers_and_sees_their_writes() {
    use baton_scheduler::Crew;
    for helpers in [1usize, 3] {
        let crew = Crew::new(helpers);
        let wrote = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for h in 0..helpers {
                let (crew, wrote) = (&crew, &wrote);
                scope.spawn(move || {
                    let _member = crew.member();
                    // Longer than any spin budget, so the caller parks.
                    std::thread::sleep(std::time::Duration::from_millis(2 + h as u64));
                    wrote.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                });
            }
            crew.wait_all_left();
            assert_eq!(
                wrote.load(std::sync::atomic::Ordering::Relaxed),
                helpers,
                "returned before every helper left"
            );
        });
    }
    // No helpers: nothing to wait for.
    assert!(!Crew::new(0).wait_all_left());
}

/// `work_measured` reports what its worker ran: alone, all of a batch.
#[test]
fn work_measured_counts_what_the_worker_ran() {
    let locks = disjoint(300);
    let graph = DependencyGraph::build(&locks).unwrap();
    let dispatch = baton_scheduler::Dispatch::new(graph, 1);
    let ran = AtomicUsize::new(0);
    let effort = dispatch.work_measured(
        &mut (),
        &|(): &mut (), _| {
            ran.fetch_add(1, SeqCst);
        },
        &|_| {},
    );
    assert_eq!(effort.executed, 300);
    assert_eq!(ran.load(SeqCst), 300);
    assert_eq!(dispatch.completed(), 300);
}

/// With the fallback on (the default), batches give the same outcome as
/// with it off, whichever path the host's load picks for each: a chain of
/// read-modify-writes on one account, interleaved with independent ones,
/// run many times.
#[test]
fn the_serial_fallback_keeps_the_outcome() {
    let adaptive = Scheduler::new(2).unwrap();
    let fixed = Scheduler::new(2).unwrap().with_serial_fallback(false);
    let locks: Vec<LockSet> = (0..2_000u64)
        .map(|i| {
            if i % 3 == 0 {
                LockSet::from_keys(&[k(0)], &[])
            } else {
                LockSet::from_keys(&[k(1 + i)], &[])
            }
        })
        .collect();
    let outcome = |s: &Scheduler| {
        let acc = std::sync::atomic::AtomicU64::new(1);
        let order = std::sync::Mutex::new(Vec::new());
        s.run(&locks, |i| {
            if i % 3 == 0 {
                // Order-sensitive: any reordering of the chain changes it.
                let v = acc.load(SeqCst);
                acc.store(v.wrapping_mul(31).wrapping_add(i as u64), SeqCst);
                order.lock().unwrap().push(i);
            }
        });
        (acc.into_inner(), order.into_inner().unwrap())
    };
    let want = outcome(&fixed);
    assert_eq!(want.1, (0..2_000).step_by(3).collect::<Vec<_>>());
    for _ in 0..50 {
        assert_eq!(outcome(&adaptive), want);
    }
}
