//! A map of values loaded on first use and shared by threads: the
//! concurrent part of the program registry's cache, written against
//! [`sync`](super::sync) so that the loom models in `baton-loom-tests`
//! check this very code.
//!
//! Built with `--cfg baton_loom_broken` (the loom suite's broken build
//! only), three lines below are wrong on purpose, each caught by one model:
//! a miss replaces the entry instead of joining one inserted meanwhile (two
//! loads), a failed load removes the id's entry without checking it is its
//! own (evicting a program loaded meanwhile), and `retain` keeps entries
//! still loading (a load that read an account before its write survives
//! the invalidation).

use std::collections::HashMap;
use std::hash::Hash;

use super::sync::{read, write, Arc, OnceLock, RwLock};

type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// An entry, filled once by the thread that asks first while others asking
/// for the same key wait on it: `None` when the load found nothing (then
/// the entry is dropped, so a later ask loads again).
type Cell<V> = Arc<OnceLock<Option<V>>>;

/// Values by key, each loaded by the first thread to ask for it while the
/// others asking for it wait; a load that finds nothing is not kept.
pub(crate) struct FirstUseCache<K, V> {
    map: RwLock<FastMap<K, Cell<V>>>,
}

impl<K, V> Default for FirstUseCache<K, V> {
    fn default() -> Self {
        Self {
            map: RwLock::new(FastMap::default()),
        }
    }
}

/// A copy shares the entries (loaded or loading) but not the map: later
/// inserts, removals and invalidations in one do not reach the other.
impl<K: Clone + Eq + Hash, V> Clone for FirstUseCache<K, V> {
    fn clone(&self) -> Self {
        Self {
            map: RwLock::new(read(&self.map).clone()),
        }
    }
}

impl<K: Clone + Eq + Hash, V> FirstUseCache<K, V> {
    /// `f` of the value at `key`, loading it with `load` if no thread has
    /// yet (or waiting for the thread loading it now); `None` if the load
    /// found nothing, and then the entry goes, so a later ask loads again.
    ///
    /// The map's lock is not held while loading: loading may take a while,
    /// and other keys (a program this one calls) are looked up meanwhile.
    /// Asks for one key that overlap share one load, unless a
    /// [`retain`](Self::retain) dropped the entry in between.
    #[inline]
    pub(crate) fn get_or_load<R>(
        &self,
        key: &K,
        load: impl FnOnce() -> Option<V>,
        f: impl FnOnce(&V) -> R,
    ) -> Option<R> {
        let cell = read(&self.map).get(key).cloned();
        let cell = match cell {
            Some(c) => c,
            None => self.insert(key),
        };
        match cell.get_or_init(load) {
            Some(v) => Some(f(v)),
            None => {
                self.remove(key, &cell);
                None
            }
        }
    }

    /// The entry at `key`, inserting an empty one if there is none.
    #[cold]
    fn insert(&self, key: &K) -> Cell<V> {
        let mut map = write(&self.map);
        // Another thread may have inserted one since our read: join it.
        #[cfg(not(baton_loom_broken))]
        let cell = map.entry(key.clone()).or_default().clone();
        // BROKEN on purpose: trusts the miss seen under the read lock, so
        // two threads that missed together each load.
        #[cfg(baton_loom_broken)]
        let cell = {
            let c = Cell::<V>::default();
            map.insert(key.clone(), c.clone());
            c
        };
        cell
    }

    /// Drop `cell`, whose load found nothing, from `key` if the map still
    /// holds it: it may already be gone (another thread that shared it, or a
    /// `retain`, dropped it), and a newer entry there may hold a value.
    #[cold]
    fn remove(&self, key: &K, cell: &Cell<V>) {
        let mut map = write(&self.map);
        #[cfg(not(baton_loom_broken))]
        if map.get(key).is_some_and(|c| Arc::ptr_eq(c, cell)) {
            map.remove(key);
        }
        // BROKEN on purpose: removes whatever entry the key has now.
        #[cfg(baton_loom_broken)]
        {
            let _ = cell;
            map.remove(key);
        }
    }

    /// `f` of the value at `key` if it is loaded (no load; a read lock).
    #[inline]
    pub(crate) fn get_loaded<R>(&self, key: &K, f: impl FnOnce(&V) -> R) -> Option<R> {
        let cell = read(&self.map).get(key).cloned()?;
        cell.get().and_then(Option::as_ref).map(f)
    }

    /// Keep only the loaded entries for which `keep` holds; entries still
    /// loading go too, whatever they will hold.
    ///
    /// What that guarantees when a caller writes what loads read and then
    /// calls `retain` to drop the values read from it: every entry the
    /// map holds when `retain` returns was loaded (or will be) after the
    /// write, or was loaded before and `keep` accepted it. A load in flight
    /// during `retain` still fills its entry for the asks that overlapped
    /// the `retain` and wait on it, but the map no longer holds it, so no
    /// ask that starts after `retain` returns sees it.
    pub(crate) fn retain(&self, mut keep: impl FnMut(&K, &V) -> bool) {
        let mut map = write(&self.map);
        if map.is_empty() {
            return;
        }
        map.retain(|key, cell| match cell.get() {
            Some(Some(v)) => keep(key, v),
            // Found nothing: its loader removes it anyway.
            Some(None) => false,
            // Still loading: it may be reading what the caller wrote.
            None => cfg!(baton_loom_broken), // BROKEN on purpose if set: kept
        });
    }

    /// Drop every entry (exclusive: no lock taken).
    pub(crate) fn clear(&mut self) {
        self.map
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    /// The keys in the map, loaded or loading.
    pub(crate) fn keys(&self) -> Vec<K> {
        read(&self.map).keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the loads `load` does, returning `value`.
    fn counted<'a>(
        n: &'a std::cell::Cell<u32>,
        value: Option<u8>,
    ) -> impl FnOnce() -> Option<u8> + 'a {
        move || {
            n.set(n.get() + 1);
            value
        }
    }

    #[test]
    fn found_values_stay_and_nothing_found_goes() {
        let cache = FirstUseCache::<u8, u8>::default();
        let n = std::cell::Cell::new(0);
        assert_eq!(cache.get_or_load(&1, counted(&n, Some(7)), |v| *v), Some(7));
        assert_eq!(cache.get_or_load(&1, counted(&n, Some(8)), |v| *v), Some(7));
        assert_eq!(cache.get_loaded(&1, |v| *v), Some(7));
        assert_eq!(cache.get_or_load(&2, counted(&n, None), |v| *v), None);
        assert_eq!(cache.get_loaded(&2, |v| *v), None);
        assert_eq!((n.get(), cache.keys()), (2, vec![1]));
        cache.retain(|k, _| *k != 1);
        assert!(cache.keys().is_empty());
        assert_eq!(cache.get_or_load(&1, counted(&n, Some(8)), |v| *v), Some(8));
        assert_eq!(n.get(), 3);
    }

    /// An invalidation while a value loads (here, from inside the load)
    /// drops its entry: the ask gets what it loaded, the next one loads again.
    #[test]
    fn retain_drops_an_entry_still_loading() {
        let cache = FirstUseCache::<u8, u8>::default();
        let got = cache.get_or_load(
            &1,
            || {
                cache.retain(|_, _| true);
                Some(7)
            },
            |v| *v,
        );
        assert_eq!((got, cache.keys()), (Some(7), vec![]));
        let n = std::cell::Cell::new(0);
        assert_eq!(cache.get_or_load(&1, counted(&n, Some(8)), |v| *v), Some(8));
        assert_eq!((n.get(), cache.keys()), (1, vec![1]));
    }
}
