//! The region tree 县 > 乡镇 > 村, keyed by path (城关镇 exists in many counties).
//!
//! Every region named in any input is interned once; records hold a [`RegionId`]. A city is
//! the parent of the counties and is not stored as a node: its name comes from the
//! configuration (SPEC §2).

use std::collections::HashMap;

use serde::Serialize;

/// Index of a region node in [`Regions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RegionId(pub u32);

/// The levels a report can rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 县 (县/市/区/示范区).
    County,
    /// 乡镇.
    Town,
    /// 行政村.
    Village,
}

impl Level {
    /// Parses `county|town|village`.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "county" => Some(Level::County),
            "town" => Some(Level::Town),
            "village" => Some(Level::Village),
            _ => None,
        }
    }

    /// The column head for units of this level (`县（市、区）`, `乡镇`, `行政村`).
    pub fn unit_word(self) -> &'static str {
        match self {
            Level::County => "县（市、区）",
            Level::Town => "乡镇",
            Level::Village => "行政村",
        }
    }

    /// The English id used in JSON (`county`, `town`, `village`).
    pub fn id(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Town => "town",
            Level::Village => "village",
        }
    }

    /// The level one down, if any.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::County => Some(Level::Town),
            Level::Town => Some(Level::Village),
            Level::Village => None,
        }
    }
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionNode {
    /// The name as written (after alias mapping).
    pub name: String,
    /// The level of the node.
    pub level: Level,
    /// The enclosing node (`None` for counties).
    pub parent: Option<RegionId>,
}

/// Interned region tree with first-appearance order.
#[derive(Debug, Clone, Default)]
pub struct Regions {
    nodes: Vec<RegionNode>,
    index: HashMap<(Option<RegionId>, String), RegionId>,
}

impl Regions {
    /// Returns the node for `name` under `parent`, creating it on first use.
    ///
    /// # Examples
    /// ```
    /// use gonggu_core::region::{Level, Regions};
    /// let mut r = Regions::default();
    /// let a = r.intern(None, Level::County, "夏邑县");
    /// let t1 = r.intern(Some(a), Level::Town, "城关镇");
    /// let b = r.intern(None, Level::County, "虞城县");
    /// let t2 = r.intern(Some(b), Level::Town, "城关镇");
    /// assert_ne!(t1, t2);
    /// assert_eq!(r.intern(Some(a), Level::Town, "城关镇"), t1);
    /// ```
    pub fn intern(&mut self, parent: Option<RegionId>, level: Level, name: &str) -> RegionId {
        if let Some(id) = self.find(parent, name) {
            return id;
        }
        let id = RegionId(self.nodes.len() as u32);
        self.nodes.push(RegionNode {
            name: name.to_string(),
            level,
            parent,
        });
        self.index.insert((parent, name.to_string()), id);
        id
    }

    /// Looks a node up without creating it.
    pub fn find(&self, parent: Option<RegionId>, name: &str) -> Option<RegionId> {
        // Avoids allocating a key on the hot path by probing with an owned key only on miss
        // of the common case; the map is small (regions, not persons).
        self.index.get(&(parent, name.to_string())).copied()
    }

    /// The node behind an id.
    ///
    /// Ids only come from this tree, so the lookup cannot fail for them; an id from another
    /// tree yields a placeholder node rather than a panic.
    pub fn node(&self, id: RegionId) -> &RegionNode {
        static MISSING: RegionNode = RegionNode {
            name: String::new(),
            level: Level::County,
            parent: None,
        };
        self.nodes.get(id.0 as usize).unwrap_or(&MISSING)
    }

    /// The name of a node.
    pub fn name(&self, id: RegionId) -> &str {
        &self.node(id).name
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// All ids in first-appearance order.
    pub fn ids(&self) -> impl Iterator<Item = RegionId> + '_ {
        (0..self.nodes.len() as u32).map(RegionId)
    }

    /// The ancestor of `id` at `level` (itself when it is at that level); `None` when `id`
    /// lies above `level` (a county asked for its town).
    pub fn ancestor_at(&self, id: RegionId, level: Level) -> Option<RegionId> {
        let mut cur = id;
        loop {
            let node = self.node(cur);
            if node.level == level {
                return Some(cur);
            }
            if node.level < level {
                return None;
            }
            cur = node.parent?;
        }
    }

    /// Nodes of one level in first-appearance order.
    pub fn at_level(&self, level: Level) -> Vec<RegionId> {
        self.ids()
            .filter(|&id| self.node(id).level == level)
            .collect()
    }

    /// Display label: the name, prefixed with the parent's name when another node of the
    /// same level has the same name under a different parent (`夏邑县城关镇`).
    pub fn label(&self, id: RegionId) -> String {
        let node = self.node(id);
        let ambiguous = self
            .nodes
            .iter()
            .enumerate()
            .any(|(i, n)| i as u32 != id.0 && n.level == node.level && n.name == node.name);
        match (ambiguous, node.parent) {
            (true, Some(p)) => format!("{}{}", self.name(p), node.name),
            _ => node.name.clone(),
        }
    }

    /// Full path `县/乡镇/村` for messages.
    pub fn path(&self, id: RegionId) -> String {
        let mut parts = vec![self.name(id).to_string()];
        let mut cur = self.node(id).parent;
        while let Some(p) = cur {
            parts.push(self.name(p).to_string());
            cur = self.node(p).parent;
        }
        parts.reverse();
        parts.join("/")
    }
}
