//! A small ordered map over a sorted vector, for the few-entry maps of definitions (texts per
//! language, scale labels per language) and a response's answers (tens of items at most).
//!
//! Why not `BTreeMap`: every key/value type of a `BTreeMap` links its own node, balancing and drop
//! code (several KB each in the Wasm bundles that read definitions). Here lookups are a binary
//! search and inserts shift a few entries. Iteration order (by key), equality, ordering, hashing,
//! `Debug` and the serde form (a map in key order; the last of duplicate keys wins) are those of a
//! `BTreeMap` with the same entries; `tests` checks that against `BTreeMap` itself.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ordered map: entries sorted by key, keys unique.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K, V> VecMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        VecMap(Vec::new())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.0.iter())
    }

    /// Keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.0.iter().map(|e| &e.0)
    }

    /// Values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|e| &e.1)
    }

    /// The first entry (smallest key).
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.0.first().map(|e| (&e.0, &e.1))
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|e| e.0.borrow().cmp(key))
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| &self.0[at].1)
    }

    /// The value of `key`, to change it.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| &mut self.0[at].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`; returns the value it had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                self.0.insert(at, (key, value));
                None
            }
        }
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| self.0.remove(at).1)
    }
}

/// Iterator over a map's entries in key order.
#[derive(Clone, Debug)]
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|e| (&e.0, &e.1))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|e| (&e.0, &e.1))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Inserted one by one (the last of equal keys wins, as in a `BTreeMap`): no sort code per type.
impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;
    /// Panics when `key` has no value, as a `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for VecMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
            type Value = VecMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = VecMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::VecMap;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Clone, Debug)]
    enum Op {
        Insert(String, i64),
        Remove(String),
    }

    fn key() -> impl Strategy<Value = String> {
        // Few distinct keys, so that inserts collide and removes hit; non-ASCII for the order.
        prop::sample::select(vec!["", "a", "b", "ab", "B", "é", "nl", "de", "en", "zz"])
            .prop_map(str::to_owned)
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (key(), any::<i64>()).prop_map(|(k, v)| Op::Insert(k, v)),
            key().prop_map(Op::Remove),
        ]
    }

    fn both(ops: &[Op]) -> (VecMap<String, i64>, BTreeMap<String, i64>) {
        let mut v = VecMap::new();
        let mut b = BTreeMap::new();
        for op in ops {
            match op {
                Op::Insert(k, x) => assert_eq!(v.insert(k.clone(), *x), b.insert(k.clone(), *x)),
                Op::Remove(k) => assert_eq!(v.remove(k.as_str()), b.remove(k.as_str())),
            }
        }
        (v, b)
    }

    proptest! {
        #[test]
        fn behaves_as_a_btreemap(ops in prop::collection::vec(op(), 0..40), probe in key()) {
            let (v, b) = both(&ops);
            prop_assert!(v.iter().eq(b.iter()));
            prop_assert!(v.iter().rev().eq(b.iter().rev()));
            prop_assert!(v.keys().eq(b.keys()));
            prop_assert!(v.values().eq(b.values()));
            prop_assert_eq!(v.len(), b.len());
            prop_assert_eq!(v.is_empty(), b.is_empty());
            prop_assert_eq!(v.get(probe.as_str()), b.get(probe.as_str()));
            prop_assert_eq!(v.contains_key(probe.as_str()), b.contains_key(probe.as_str()));
            prop_assert_eq!(v.first_key_value(), b.first_key_value());
            prop_assert_eq!(format!("{v:?}"), format!("{b:?}"));
            prop_assert!(v.clone().into_iter().eq(b.clone()));
            let collected: VecMap<String, i64> = ops
                .iter()
                .filter_map(|o| match o {
                    Op::Insert(k, x) => Some((k.clone(), *x)),
                    Op::Remove(_) => None,
                })
                .collect();
            let collected_b: BTreeMap<String, i64> = ops
                .iter()
                .filter_map(|o| match o {
                    Op::Insert(k, x) => Some((k.clone(), *x)),
                    Op::Remove(_) => None,
                })
                .collect();
            prop_assert!(collected.iter().eq(collected_b.iter()));
        }

        #[test]
        fn same_json_and_equality(a in prop::collection::vec(op(), 0..30), b in prop::collection::vec(op(), 0..30)) {
            let (va, ba) = both(&a);
            let (vb, bb) = both(&b);
            let json = serde_json::to_string(&va).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&ba).unwrap());
            prop_assert_eq!(serde_json::from_str::<VecMap<String, i64>>(&json).unwrap(), va.clone());
            prop_assert_eq!(va == vb, ba == bb);
            prop_assert_eq!(va.cmp(&vb), ba.cmp(&bb));
        }

        /// Duplicate keys in JSON: the last one wins in both.
        #[test]
        fn duplicate_keys_read_alike(entries in prop::collection::vec((key(), any::<i32>()), 0..12)) {
            let body: Vec<String> = entries
                .iter()
                .map(|(k, x)| format!("{}:{x}", serde_json::to_string(k).unwrap()))
                .collect();
            let json = format!("{{{}}}", body.join(","));
            let v: VecMap<String, i32> = serde_json::from_str(&json).unwrap();
            let b: BTreeMap<String, i32> = serde_json::from_str(&json).unwrap();
            prop_assert!(v.iter().eq(b.iter()));
        }
    }

    #[test]
    fn not_a_map_is_an_error_as_for_a_btreemap() {
        for json in ["[]", "1", "\"x\"", "{\"a\":\"b\"}"] {
            assert_eq!(
                serde_json::from_str::<VecMap<String, i64>>(json).is_ok(),
                serde_json::from_str::<BTreeMap<String, i64>>(json).is_ok()
            );
        }
    }
}
