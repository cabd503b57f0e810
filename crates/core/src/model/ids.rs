//! Every roster person's 证件号码 in eight bytes, and indices that find persons by it in
//! four bytes a person: a province roster (6 M persons) keeps no 24-byte text per person.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::IdNumber;

/// A 证件号码 as a lookup key: a standard 18-character number packed into 64 bits
/// ([`IdNumber::packed`]), any other text whole. One text has one key, so equal keys are
/// equal texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKey {
    /// A standard number.
    Packed(u64),
    /// Any other text (lower-case `x`, 15 or 20 characters, letters).
    Text(IdNumber),
}

impl IdKey {
    /// The key of a number as written.
    pub fn of(id: &IdNumber) -> IdKey {
        match id.packed() {
            Some(p) => IdKey::Packed(p),
            None => IdKey::Text(*id),
        }
    }

    /// The key of a number as written, or (`person_key`) of its [`IdNumber::person_key`].
    fn of_as(id: &IdNumber, person_key: bool) -> IdKey {
        IdKey::of(&if person_key { id.person_key() } else { *id })
    }

    /// The hash an [`IdIndex`] files the key under.
    pub fn hash(&self) -> u64 {
        let hasher = std::hash::BuildHasherDefault::<rustc_hash::FxHasher>::default();
        match self {
            IdKey::Packed(p) => hasher.hash_one(p),
            IdKey::Text(id) => hasher.hash_one(id),
        }
    }
}

/// The 证件号码 of each person, by person index: a standard number packed into 64 bits,
/// any other text in a side list (rare: the exports validate the number).
#[derive(Debug, Clone, Default)]
pub struct PersonIds {
    codes: Vec<u64>,
    odd: Vec<IdNumber>,
}

/// No 证件号码.
const NONE: u64 = u64::MAX;
/// The code of a number kept in the side list: this bit and its place there. Packed
/// numbers stay below 2^63.
const ODD: u64 = 1 << 63;

impl PersonIds {
    fn code(&mut self, id: Option<IdNumber>) -> u64 {
        match id {
            None => NONE,
            Some(id) => match id.packed() {
                Some(p) => p,
                None => {
                    self.odd.push(id);
                    ODD | (self.odd.len() as u64 - 1)
                }
            },
        }
    }

    /// Adds the next person's number.
    pub fn push(&mut self, id: Option<IdNumber>) {
        let code = self.code(id);
        self.codes.push(code);
    }

    /// Replaces person `i`'s number (a merged person taken from a later row).
    pub fn set(&mut self, i: usize, id: Option<IdNumber>) {
        let code = self.code(id);
        if let Some(slot) = self.codes.get_mut(i) {
            *slot = code;
        }
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether there is no person.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Person `i`'s 证件号码 as written.
    pub fn get(&self, i: usize) -> Option<IdNumber> {
        match *self.codes.get(i)? {
            NONE => None,
            c if c & ODD != 0 => self.odd.get((c & !ODD) as usize).copied(),
            c => Some(IdNumber::unpack(c)),
        }
    }

    /// Person `i`'s key: of the number as written, or (`person_key`) of its
    /// [`IdNumber::person_key`]. A standard number is its own person key, so neither is
    /// unpacked.
    pub fn key(&self, i: usize, person_key: bool) -> Option<IdKey> {
        match *self.codes.get(i)? {
            NONE => None,
            c if c & ODD != 0 => {
                let id = self.odd.get((c & !ODD) as usize)?;
                Some(IdKey::of_as(id, person_key))
            }
            c => Some(IdKey::Packed(c)),
        }
    }
}

/// Persons found by the key of their 证件号码, holding only person indices: the key is
/// taken from [`PersonIds`] when compared, so an index costs about 5 bytes a slot.
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    table: HashTable<u32>,
    /// Keyed by [`IdNumber::person_key`] rather than the number as written.
    by_person_key: bool,
}

impl IdIndex {
    /// An empty index by the number as written (`false`) or by its person key.
    pub fn new(by_person_key: bool) -> IdIndex {
        IdIndex {
            table: HashTable::new(),
            by_person_key,
        }
    }

    /// An index of every person of `ids`, the first of two with one key winning.
    pub fn of_all(ids: &PersonIds, by_person_key: bool) -> IdIndex {
        let mut index = IdIndex::new(by_person_key);
        index.table.reserve(ids.len(), |_| 0);
        for i in 0..ids.len() {
            index.insert_new(ids, i as u32);
        }
        index
    }

    /// The key this index files a number under.
    pub fn key_of(&self, id: &IdNumber) -> IdKey {
        IdKey::of_as(id, self.by_person_key)
    }

    /// The person filed under `key`.
    pub fn find(&self, ids: &PersonIds, key: IdKey) -> Option<u32> {
        self.find_hashed(ids, key, key.hash())
    }

    /// The person filed under `key`, whose [`IdKey::hash`] is `hash`.
    pub fn find_hashed(&self, ids: &PersonIds, key: IdKey, hash: u64) -> Option<u32> {
        let by = self.by_person_key;
        self.table
            .find(hash, |&i| ids.key(i as usize, by) == Some(key))
            .copied()
    }

    /// Files person `i` under `hash` ([`IdKey::hash`] of its key), known not to be filed:
    /// after [`IdIndex::find_hashed`] found nothing, one probe instead of two.
    pub fn insert_unique(&mut self, ids: &PersonIds, i: u32, hash: u64) {
        let by = self.by_person_key;
        self.table.insert_unique(hash, i, |&j| {
            ids.key(j as usize, by).map_or(0, |k| k.hash())
        });
    }

    /// Files person `i` (whose number `ids` holds) unless its key is already filed or it
    /// has no number; whether it was filed.
    pub fn insert_new(&mut self, ids: &PersonIds, i: u32) -> bool {
        let by = self.by_person_key;
        let Some(key) = ids.key(i as usize, by) else {
            return false;
        };
        let hash = key.hash();
        if self.find_hashed(ids, key, hash).is_some() {
            return false;
        }
        self.insert_unique(ids, i, hash);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> IdNumber {
        IdNumber::new(s).expect("an id")
    }

    #[test]
    fn numbers_come_back_as_written() {
        let written = [
            "41142519900101123X",
            "411425199001011234",
            "41142519900101123x",
            "4114251990010112345612",
            "411425900101123",
        ];
        let mut ids = PersonIds::default();
        for w in written {
            ids.push(Some(id(w)));
        }
        ids.push(None);
        for (i, w) in written.iter().enumerate() {
            assert_eq!(
                ids.get(i).map(|i| i.as_str().to_string()).as_deref(),
                Some(*w)
            );
        }
        assert_eq!(ids.get(written.len()), None);
        ids.set(0, Some(id("411425199001011250")));
        assert_eq!(
            ids.get(0).map(|i| i.as_str().to_string()).as_deref(),
            Some("411425199001011250")
        );
    }

    #[test]
    fn an_index_finds_by_the_number_or_its_person_key() {
        let mut ids = PersonIds::default();
        for w in [
            "41142519900101123X",
            "41142519900101123x",
            "4114251990010112345612",
        ] {
            ids.push(Some(id(w)));
        }
        ids.push(None);
        let exact = IdIndex::of_all(&ids, false);
        let find = |ix: &IdIndex, s: &str| ix.find(&ids, ix.key_of(&id(s)));
        assert_eq!(find(&exact, "41142519900101123X"), Some(0));
        assert_eq!(find(&exact, "41142519900101123x"), Some(1));
        assert_eq!(find(&exact, "4114251990010112345612"), Some(2));
        assert_eq!(find(&exact, "411425199001011234"), None);
        // By person key the lower-case x is the same person as the first, and the
        // 22-character number is the person 411425199001011234.
        let by_person = IdIndex::of_all(&ids, true);
        assert_eq!(find(&by_person, "41142519900101123x"), Some(0));
        assert_eq!(find(&by_person, "411425199001011234"), Some(2));
        assert_eq!(find(&by_person, "411425199001011235"), None);
    }

    #[test]
    fn a_large_index_finds_every_person() {
        let mut ids = PersonIds::default();
        let n = 50_000u64;
        for k in 0..n {
            ids.push(Some(id(&format!(
                "{:017}{}",
                41_000_000_000_000_000 + k * 7,
                k % 10
            ))));
        }
        let mut index = IdIndex::new(false);
        for i in 0..n as u32 {
            assert!(index.insert_new(&ids, i));
        }
        assert!(!index.insert_new(&ids, 5));
        for i in (0..n as usize).step_by(97) {
            let key = ids.key(i, false).expect("a key");
            assert_eq!(index.find(&ids, key), Some(i as u32));
        }
    }
}
