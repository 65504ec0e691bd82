//! Models of the program registry's shared compile-on-first-use cache
//! (`baton_executor::ProgramRegistry` over a `ProgramSource`).
//!
//! The cache's map of cells (`FirstUseCache` in the executor) takes its
//! `Arc` and `RwLock` from the executor's sync facade, which under
//! `--cfg baton_loom` re-exports loom's; its cells are std's `OnceLock` in a
//! normal build and, under loom, a stand-in with the same contract built
//! from loom's `Mutex` and `Condvar` (loom has no `OnceLock`; see the
//! executor's `invoke_context/program/sync.rs`). Everything else runs
//! unchanged: the models call the registry's public `get`, `cached_ids`
//! and (for invalidation) `invalidate_cached_shared`, the `&self` entry to
//! the very code `invalidate` runs.
//!
//! Each model's source counts its loads with a loom atomic and builds a
//! program whose `logs_return_data` flag tells which version of its
//! programdata account it read, so a model can see which load an ask got.

// Model code is test code: a failed join is a failed model.
#![allow(clippy::expect_used)]

use std::sync::atomic::Ordering::SeqCst;

use baton_executor::{InvokeContext, Program, ProgramRegistry, ProgramSource, SourcedProgram};
use baton_types::{InstructionError, Pubkey};
use loom::sync::atomic::AtomicUsize;
use loom::sync::Arc;
use loom::thread;

use crate::models::{builder, key};

/// The modelled program's id.
const PROGRAM: u64 = 1;
/// Its programdata account: the account the models write.
const PROGRAMDATA: u64 = 2;

/// A program that does nothing; `logs_return_data` is true for the one
/// loaded from an odd programdata version, so asks can tell versions apart.
struct Versioned(usize);

impl Program for Versioned {
    fn process(&self, _: &InvokeContext<'_>, _: &[u8]) -> Result<(), InstructionError> {
        Ok(())
    }

    fn logs_return_data(&self) -> bool {
        self.0 % 2 == 1
    }
}

/// A source over one modelled program: its first `missing` loads find
/// nothing (the program is not deployed yet), later ones find the program
/// built from the programdata version current when they read it.
struct Source {
    loads: AtomicUsize,
    missing: usize,
    programdata_version: AtomicUsize,
}

impl ProgramSource for Source {
    fn load(&self, id: &Pubkey) -> Option<SourcedProgram> {
        if self.loads.fetch_add(1, SeqCst) < self.missing {
            return None;
        }
        let version = self.programdata_version.load(SeqCst);
        Some(SourcedProgram {
            program: Ok(std::sync::Arc::new(Versioned(version))),
            accounts: vec![*id, key(PROGRAMDATA)],
        })
    }
}

/// A registry (no registered programs) over a fresh [`Source`].
fn setup(missing: usize) -> (Arc<ProgramRegistry>, std::sync::Arc<Source>) {
    let source = std::sync::Arc::new(Source {
        loads: AtomicUsize::new(0),
        missing,
        programdata_version: AtomicUsize::new(0),
    });
    let mut registry = ProgramRegistry::new();
    registry.set_source(Some(source.clone()));
    (Arc::new(registry), source)
}

/// One ask: `None` if nothing is deployed, else the version it got.
fn ask(r: &ProgramRegistry) -> Option<usize> {
    r.get(&key(PROGRAM))
        .map(|p| usize::from(p.logs_return_data()))
}

/// **Concurrent first asks share one load.**
///
/// Three threads (two spawned, and the model's main one) ask for the same
/// program, which the source finds. Checks: every ask gets the program,
/// the source loaded it exactly once (asks that miss together join the
/// entry the first of them inserted, and wait on its cell), and the cache
/// then holds exactly that id.
pub fn registry_first_asks_share_one_load() {
    builder().check(|| {
        let (r, source) = setup(0);
        let askers: Vec<_> = (0..2)
            .map(|_| {
                let r = r.clone();
                thread::spawn(move || ask(&r))
            })
            .collect();
        let mut got = vec![ask(&r)];
        for a in askers {
            got.push(a.join().expect("asker panicked"));
        }
        let loads = source.loads.load(SeqCst);
        assert!(loads == 1, "source loaded the program {loads} times");
        assert!(got.iter().all(|g| *g == Some(0)), "asks got {got:?}");
        assert_eq!(r.cached_ids(), vec![key(PROGRAM)], "cached ids");
    });
}

/// **Nothing found is not cached.**
///
/// Two threads ask for an id where the source never finds a program.
/// Checks: both asks get nothing; once both have returned the cache holds
/// no entry for the id (whichever thread loaded, and whichever order the
/// loader and the other thread, which may have shared its empty result,
/// remove it in); and a later ask calls the source again.
pub fn registry_nothing_found_is_not_cached() {
    builder().check(|| {
        let (r, source) = setup(usize::MAX);
        let asker = {
            let r = r.clone();
            thread::spawn(move || ask(&r))
        };
        let mine = ask(&r);
        let theirs = asker.join().expect("asker panicked");
        assert_eq!((mine, theirs), (None, None), "found a program");
        assert!(
            r.cached_ids().is_empty(),
            "a load that found nothing stayed cached"
        );
        let before = source.loads.load(SeqCst);
        assert_eq!(ask(&r), None, "found a program");
        assert_eq!(
            source.loads.load(SeqCst),
            before + 1,
            "a later ask did not call the source again"
        );
    });
}

/// **A load that found nothing never evicts a program loaded since.**
///
/// The source's first load finds nothing and later ones find the program
/// (it was deployed meanwhile). One thread asks twice, the main thread
/// once, so a thread can hold the empty first entry while the other
/// removes it and loads the program into a new one. Checks: if any ask got
/// the program, the cache still holds it once both threads are done (the
/// empty entry's removal only removes that very entry); the cache never
/// ends holding an empty entry: a final ask finds the program, and if the
/// cache held an entry it loads nothing.
pub fn registry_nothing_found_never_evicts_a_program() {
    builder().check(|| {
        let (r, source) = setup(1);
        let asker = {
            let r = r.clone();
            thread::spawn(move || [ask(&r), ask(&r)])
        };
        let mine = ask(&r);
        let theirs = asker.join().expect("asker panicked");
        let cached = r.cached_ids();
        if mine.is_some() || theirs.iter().any(Option::is_some) {
            assert!(
                cached == vec![key(PROGRAM)],
                "a program loaded meanwhile was evicted (asks got {mine:?}, {theirs:?})"
            );
        }
        let before = source.loads.load(SeqCst);
        assert_eq!(ask(&r), Some(0), "the deployed program was not found");
        if !cached.is_empty() {
            assert_eq!(
                source.loads.load(SeqCst),
                before,
                "the cached entry held no program"
            );
        }
    });
}

/// **An invalidation racing an ask leaves no stale program.**
///
/// One thread asks for the program; meanwhile the main thread writes its
/// programdata (a new version) and then invalidates that account. The
/// registry's own `invalidate` takes `&mut self` and so never overlaps an
/// ask; this model checks the cache's stronger contract for a shared
/// invalidation (`invalidate_cached_shared`, the same code): the ask
/// itself overlapped the write and may get either version, but once the
/// invalidation has returned, no entry loaded before the write is left:
/// an ask after both finished gets the new version, whether the racing
/// ask's load ran before the write (its entry is dropped as read from the
/// account), during the invalidation (a loading entry is dropped: its load
/// may have read the old data) or after it (it read the new data).
pub fn registry_invalidate_leaves_no_stale_program() {
    builder().check(|| {
        let (r, source) = setup(0);
        let asker = {
            let r = r.clone();
            thread::spawn(move || ask(&r))
        };
        source.programdata_version.store(1, SeqCst);
        r.invalidate_cached_shared(&key(PROGRAMDATA));
        let racing = asker.join().expect("asker panicked");
        assert!(racing.is_some(), "the racing ask found nothing");
        assert_eq!(
            ask(&r),
            Some(1),
            "a program loaded before the write survived its invalidation"
        );
    });
}
