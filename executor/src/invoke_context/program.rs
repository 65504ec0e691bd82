//! Programs and the registry that finds them by id: native programs
//! registered up front, and programs deployed in accounts, which a
//! [`ProgramSource`] compiles on first use into a cache the batch's worker
//! threads share (Agave's program cache).

mod first_use;
mod sync;

use std::collections::HashMap;
use std::sync::Arc;

use baton_types::{InstructionError, Pubkey};

use self::first_use::FirstUseCache;
use super::InvokeContext;

/// A native program: Rust code the engine calls for each instruction
/// addressed to its id.
///
/// `process` reads its accounts and changes them only through
/// [`InvokeContext::borrow_instruction_account`], which enforces the mutation
/// rules, and may call other programs through the invoke context. Account
/// borrows still held when it invokes another program make the callee's
/// borrow of the same account fail with `AccountBorrowFailed`. Returning
/// an error fails the instruction (and so the transaction); a panic is caught
/// and reported as `ProgramFailedToComplete`.
pub trait Program: Send + Sync {
    /// Run one instruction with input `data`.
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError>;

    /// Whether this is a builtin of the runtime (system, token). Builtins log
    /// no `consumed` line and are exempt from the 10 KiB per-instruction
    /// growth limit, as Agave's builtins are; user programs are not.
    fn is_builtin(&self) -> bool {
        false
    }

    /// Whether the frame logs `Program return: <program id> <base64>` after
    /// its `consumed` line when the transaction's return data is not empty,
    /// whatever the result, as Agave does for sBPF programs. Off for native
    /// programs.
    fn logs_return_data(&self) -> bool {
        false
    }

    /// The name a builtin's program account holds as its data, as Agave's
    /// native-loader accounts do (`solana_system_program`, ...); empty for others.
    /// It counts toward the loaded-accounts data size (SIMD-0186).
    fn account_name(&self) -> &'static str {
        ""
    }
}

/// Where a [`ProgramRegistry`] finds the programs deployed in accounts
/// (`baton-sbpf` implements it for the BPF loaders; the runtime installs
/// it over its store with [`ProgramRegistry::set_source`]).
pub trait ProgramSource: Send + Sync {
    /// The program deployed at `id`, loaded: `None` when the account at
    /// `id` is not a loader's program (absent, or owned by another
    /// program); a [`SourcedProgram`] whose `program` is `Err` when it is
    /// one but does not load (Agave's "Program is not deployed").
    fn load(&self, id: &Pubkey) -> Option<SourcedProgram>;
}

/// A program a [`ProgramSource`] found.
pub struct SourcedProgram {
    /// The compiled program, or why the deployed one does not load.
    pub program: Result<Arc<dyn Program>, String>,
    /// The accounts it was read from (the program account and, for the
    /// upgradeable loader, its programdata): writing any of them through
    /// the runtime drops it from the cache ([`ProgramRegistry::invalidate`]).
    pub accounts: Vec<Pubkey>,
}

type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// Programs deployed in accounts, compiled on first use into a cache the
/// batch's threads share (see [`FirstUseCache`]).
#[derive(Clone)]
struct Deployed {
    source: Arc<dyn ProgramSource>,
    cache: FirstUseCache<Pubkey, SourcedProgram>,
}

impl Deployed {
    /// `f` of the program deployed at `id`, loading it on the first ask;
    /// `None` if the source finds nothing there.
    #[inline]
    fn with<R>(&self, id: &Pubkey, f: impl FnOnce(&SourcedProgram) -> R) -> Option<R> {
        self.cache.get_or_load(id, || self.source.load(id), f)
    }
}

/// What the registry hands the frame for a program deployed in accounts:
/// a stand-in with that program's flags that finds it in the cache when it
/// runs (the cache is behind a lock, so no reference into it can be lent).
struct Dispatch {
    builtin: bool,
    logs_return_data: bool,
}

static DISPATCH: [Dispatch; 4] = [
    Dispatch {
        builtin: false,
        logs_return_data: false,
    },
    Dispatch {
        builtin: false,
        logs_return_data: true,
    },
    Dispatch {
        builtin: true,
        logs_return_data: false,
    },
    Dispatch {
        builtin: true,
        logs_return_data: true,
    },
];

impl Program for Dispatch {
    fn process(&self, ctx: &InvokeContext<'_>, data: &[u8]) -> Result<(), InstructionError> {
        let id = ctx.program_id();
        match ctx.env.programs.cached(&id) {
            Some(program) => program.process(ctx, data),
            None => Err(InstructionError::UnsupportedProgramId),
        }
    }

    fn is_builtin(&self) -> bool {
        self.builtin
    }

    fn logs_return_data(&self) -> bool {
        self.logs_return_data
    }
}

/// A deployed program that does not load (its ELF fails to verify, or its
/// accounts are malformed): as Agave's loader finds a failed-verification
/// or closed entry in its program cache, the frame logs `Program is not
/// deployed` and fails with `UnsupportedProgramId`, with no `consumed`
/// line (it reports itself a builtin only for that: it fails before
/// touching any account, so the builtins' other exemption never applies).
struct NotDeployed;

impl Program for NotDeployed {
    fn process(&self, ctx: &InvokeContext<'_>, _: &[u8]) -> Result<(), InstructionError> {
        ctx.log_line("Program is not deployed");
        Err(InstructionError::UnsupportedProgramId)
    }

    fn is_builtin(&self) -> bool {
        true
    }
}

/// Programs by id: those registered with [`add`](Self::add) (native
/// programs, and sBPF programs deployed through the runtime), then those
/// its [`ProgramSource`], if it has one, finds deployed in accounts,
/// compiled once on first use and cached. The cache is shared by every
/// thread running the batch; writing a program's accounts through the
/// runtime drops its entry ([`invalidate`](Self::invalidate)).
#[derive(Clone, Default)]
pub struct ProgramRegistry {
    programs: FastMap<Pubkey, Arc<dyn Program>>,
    /// For programs registered with [`add_deployed`](Self::add_deployed):
    /// each account they were read from, and the program's id.
    read_from: FastMap<Pubkey, Pubkey>,
    deployed: Option<Deployed>,
}

impl ProgramRegistry {
    /// An empty registry, with no source.
    pub fn new() -> Self {
        Self::default()
    }

    /// Register `program` at `id`, replacing any program there (a cached
    /// deployed program at `id` is dropped). It stays until replaced,
    /// whatever is written at `id`.
    pub fn add(&mut self, id: Pubkey, program: Arc<dyn Program>) {
        self.invalidate(&id);
        self.read_from.retain(|_, p| *p != id);
        self.programs.insert(id, program);
    }

    /// Register `program`, deployed at `id` and loaded from `accounts`
    /// (its program account and, for loader v3, its programdata), for
    /// the fast path of registered programs: writing any of those accounts
    /// ([`invalidate`](Self::invalidate)) unregisters it, and the source
    /// then loads what was written on the next use.
    pub fn add_deployed(&mut self, id: Pubkey, program: Arc<dyn Program>, accounts: &[Pubkey]) {
        self.add(id, program);
        for key in accounts {
            self.read_from.insert(*key, id);
        }
    }

    /// Look up ids not registered in `source` from now on (`None`: no
    /// more); the cache starts empty.
    pub fn set_source(&mut self, source: Option<Arc<dyn ProgramSource>>) {
        self.deployed = source.map(|source| Deployed {
            source,
            cache: FirstUseCache::default(),
        });
    }

    /// Whether the registry has a source for deployed programs.
    pub fn has_source(&self) -> bool {
        self.deployed.is_some()
    }

    /// Drop the deployed programs read from the account at `key` (a
    /// program account, or the programdata of one), cached or registered
    /// with [`add_deployed`](Self::add_deployed), so that the next use
    /// loads them again. The runtime calls it whenever it writes an
    /// account (a redeploy, an upgrade, a program written with
    /// `set_account`).
    pub fn invalidate(&mut self, key: &Pubkey) {
        if let Some(id) = self.read_from.remove(key) {
            self.programs.remove(&id);
            self.read_from.retain(|_, p| *p != id);
        }
        self.drop_cached(key);
    }

    /// The cached part of [`invalidate`](Self::invalidate): drop the
    /// deployed programs read from `key`, and any still loading (they may
    /// be reading it). Through a shared reference, as the cache allows;
    /// the registry calls it only from `invalidate`, which no ask overlaps.
    fn drop_cached(&self, key: &Pubkey) {
        if let Some(d) = &self.deployed {
            d.cache
                .retain(|id, p| id != key && !p.accounts.contains(key));
        }
    }

    /// [`invalidate`](Self::invalidate)'s drop of cached programs through
    /// a shared reference, so that the loom models can run it beside asks
    /// (the cache's contract; see `FirstUseCache::retain`). Loom builds only.
    #[cfg(baton_loom)]
    #[doc(hidden)]
    pub fn invalidate_cached_shared(&self, key: &Pubkey) {
        self.drop_cached(key);
    }

    /// Drop every cached deployed program (the store changed under them).
    pub fn clear_cache(&mut self) {
        if let Some(d) = &mut self.deployed {
            d.cache.clear();
        }
    }

    /// The program at `id`: the registered one, else the one deployed
    /// there (compiled now if it is its first use).
    pub fn get(&self, id: &Pubkey) -> Option<&dyn Program> {
        if let Some(p) = self.programs.get(id) {
            return Some(p.as_ref());
        }
        self.deployed
            .as_ref()?
            .with(id, |sourced| match &sourced.program {
                Ok(p) => {
                    let i = usize::from(p.is_builtin()) * 2 + usize::from(p.logs_return_data());
                    &DISPATCH[i] as &dyn Program
                }
                Err(_) => &NotDeployed,
            })
    }

    /// The cached deployed program at `id`, if it loaded.
    fn cached(&self, id: &Pubkey) -> Option<Arc<dyn Program>> {
        self.deployed
            .as_ref()?
            .cache
            .get_loaded(id, |sourced| sourced.program.as_ref().ok().cloned())?
    }

    /// Why the program deployed at `id` does not load, if it is one that
    /// does not (looked up, and cached, as [`get`](Self::get) does).
    pub fn load_error(&self, id: &Pubkey) -> Option<String> {
        if self.programs.contains_key(id) {
            return None;
        }
        self.deployed
            .as_ref()?
            .with(id, |sourced| sourced.program.as_ref().err().cloned())?
    }

    /// Whether there is a program at `id`, registered or deployed (see
    /// [`get`](Self::get)).
    pub fn contains(&self, id: &Pubkey) -> bool {
        self.get(id).is_some()
    }

    /// Whether a program is registered at `id` (deployed ones not counted).
    pub fn is_registered(&self, id: &Pubkey) -> bool {
        self.programs.contains_key(id)
    }

    /// Registered ids (not the deployed programs found through the source).
    pub fn ids(&self) -> impl Iterator<Item = &Pubkey> {
        self.programs.keys()
    }

    /// Ids of the deployed programs in the cache, loaded or not.
    pub fn cached_ids(&self) -> Vec<Pubkey> {
        self.deployed
            .as_ref()
            .map(|d| d.cache.keys())
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for ProgramRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProgramRegistry")
            .field("registered", &self.programs.keys().collect::<Vec<_>>())
            .field("deployed", &self.cached_ids())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Nop(bool);

    impl Program for Nop {
        fn process(&self, _: &InvokeContext<'_>, _: &[u8]) -> Result<(), InstructionError> {
            Ok(())
        }

        fn logs_return_data(&self) -> bool {
            self.0
        }
    }

    /// Finds a program at ids 1 and 2 (read from account 10 too), a broken
    /// one at 3, nothing elsewhere; counts its loads.
    struct Counting(AtomicUsize);

    impl ProgramSource for Counting {
        fn load(&self, id: &Pubkey) -> Option<SourcedProgram> {
            self.0.fetch_add(1, Ordering::SeqCst);
            let program: Result<Arc<dyn Program>, String> = match id.0[0] {
                1 | 2 => Ok(Arc::new(Nop(true))),
                3 => Err("bad ELF".into()),
                _ => return None,
            };
            Some(SourcedProgram {
                program,
                accounts: vec![*id, key(10)],
            })
        }
    }

    fn key(b: u8) -> Pubkey {
        Pubkey::new_from_array([b; 32])
    }

    fn registry() -> (ProgramRegistry, Arc<Counting>) {
        let source = Arc::new(Counting(AtomicUsize::new(0)));
        let mut r = ProgramRegistry::new();
        r.set_source(Some(source.clone()));
        (r, source)
    }

    #[test]
    fn deployed_programs_load_once_for_all_threads() {
        let (r, source) = registry();
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let p = r
                        .get(&key(1))
                        .map(|p| (p.is_builtin(), p.logs_return_data()));
                    assert_eq!(p, Some((false, true)));
                });
            }
        });
        assert_eq!(source.0.load(Ordering::SeqCst), 1);
        assert!(r.contains(&key(1)) && !r.is_registered(&key(1)));
        assert_eq!(r.cached_ids(), vec![key(1)]);
        // Not found: not cached, so asked again.
        assert!(r.get(&key(9)).is_none());
        assert!(r.get(&key(9)).is_none());
        assert_eq!(source.0.load(Ordering::SeqCst), 3);
        // A broken one: cached, reported as a builtin (no `consumed` line).
        assert_eq!(r.get(&key(3)).map(|p| p.is_builtin()), Some(true));
        assert_eq!(r.load_error(&key(3)).as_deref(), Some("bad ELF"));
        assert_eq!(source.0.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn writing_an_account_a_program_was_read_from_drops_it() {
        let (mut r, source) = registry();
        assert!(r.get(&key(1)).is_some() && r.get(&key(2)).is_some());
        r.invalidate(&key(7));
        assert_eq!(r.cached_ids().len(), 2);
        // Account 10 fed both.
        r.invalidate(&key(10));
        assert!(r.cached_ids().is_empty());
        assert!(r.get(&key(1)).is_some());
        assert_eq!(source.0.load(Ordering::SeqCst), 3);

        // A registered deployed program goes when its accounts are written;
        // a native one stays.
        r.add_deployed(key(5), Arc::new(Nop(false)), &[key(5), key(6)]);
        r.add(key(4), Arc::new(Nop(false)));
        assert!(r.is_registered(&key(5)));
        r.invalidate(&key(6));
        assert!(!r.is_registered(&key(5)));
        r.invalidate(&key(4));
        assert!(r.is_registered(&key(4)));
        // Registering over a cached id drops the cached copy.
        r.add(key(1), Arc::new(Nop(false)));
        assert!(!r.cached_ids().contains(&key(1)));
        assert_eq!(r.get(&key(1)).map(|p| p.logs_return_data()), Some(false));
    }
}
