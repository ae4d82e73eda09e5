//! The model's dependency edges (`pg_depend`, translated to identities).
//!
//! A 10,000-table schema has about 170,000 edges among about 110,000
//! objects. They are kept as one sorted vector of pairs of shared
//! identities: each object is stored once however many edges name it, a
//! copy of the model shares the whole vector, walking it is a walk over
//! contiguous memory, and what an object depends on is a binary search.
//! Renaming replaces only the identities a rename reaches and merges them
//! back into order.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ObjectId;

/// `from` depends on `to`: the owned form, for building and (de)serializing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Dependency {
    pub from: ObjectId,
    pub to: ObjectId,
}

/// One edge as stored: `from` depends on `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge<'a> {
    pub from: &'a ObjectId,
    pub to: &'a ObjectId,
}

type Shared = (Arc<ObjectId>, Arc<ObjectId>);

/// The edges, sorted by (`from`, `to`) and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    edges: Arc<Vec<Shared>>,
}

impl Dependencies {
    /// From edges whose identities may already be shared between edges.
    pub fn from_shared(mut edges: Vec<Shared>) -> Dependencies {
        edges.sort_unstable();
        edges.dedup();
        edges.shrink_to_fit();
        Dependencies { edges: Arc::new(edges) }
    }

    /// From edges already sorted and without duplicates.
    pub fn from_sorted(edges: Vec<Shared>) -> Dependencies {
        debug_assert!(edges.windows(2).all(|w| w[0] < w[1]), "edges sorted, each once");
        Dependencies { edges: Arc::new(edges) }
    }

    pub fn len(&self) -> usize {
        self.edges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    pub fn clear(&mut self) {
        *self = Dependencies::default();
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(self.edges.iter())
    }

    pub fn contains(&self, from: &ObjectId, to: &ObjectId) -> bool {
        self.edges.binary_search_by(|(f, t)| (&**f, &**t).cmp(&(from, to))).is_ok()
    }

    /// What `from` depends on directly.
    pub fn of<'a>(&'a self, from: &ObjectId) -> impl Iterator<Item = &'a ObjectId> + 'a {
        let start = self.edges.partition_point(|(f, _)| **f < *from);
        let end = start + self.edges[start..].partition_point(|(f, _)| **f == *from);
        self.edges[start..end].iter().map(|(_, to)| &**to)
    }

    /// Every identity the edges name, as shared, once per edge end.
    pub fn identities(&self) -> impl Iterator<Item = &Arc<ObjectId>> {
        self.edges.iter().flat_map(|(from, to)| [from, to])
    }

    /// Keeps the edges `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(Edge<'_>) -> bool) {
        Arc::make_mut(&mut self.edges).retain(|(from, to)| keep(Edge { from, to }));
    }

    /// Replaces every identity `rename` gives a new one for. Edges no
    /// identity of which changes keep their order; the changed ones are
    /// sorted and merged in, so a few renames cost a pass, not a sort.
    pub fn rename(&mut self, rename: impl Fn(&ObjectId) -> Option<ObjectId>) {
        self.rename_edges(|from, to| (rename(from), rename(to)));
    }

    /// [`Self::rename`], deciding both ends of an edge together.
    pub fn rename_edges(
        &mut self,
        rename: impl Fn(&ObjectId, &ObjectId) -> (Option<ObjectId>, Option<ObjectId>),
    ) {
        let mut kept = Vec::with_capacity(self.edges.len());
        let mut changed = Vec::new();
        for (from, to) in self.edges.iter() {
            let (f, t) = rename(from, to);
            match (f.map(Arc::new), t.map(Arc::new)) {
                (None, None) => kept.push((from.clone(), to.clone())),
                (f, t) => changed.push((f.unwrap_or_else(|| from.clone()), t.unwrap_or_else(|| to.clone()))),
            }
        }
        if changed.is_empty() {
            return;
        }
        changed.sort_unstable();
        let mut merged = Vec::with_capacity(kept.len() + changed.len());
        let (mut a, mut b) = (kept.into_iter().peekable(), changed.into_iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x <= y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, _) => b.next(),
            };
            let Some(edge) = next else { break };
            if merged.last() != Some(&edge) {
                merged.push(edge);
            }
        }
        self.edges = Arc::new(merged);
    }
}

/// The edges in order; a named type, so `for d in &deps` over 170,000
/// edges is a plain slice walk.
pub struct Iter<'a>(std::slice::Iter<'a, Shared>);

impl<'a> Iterator for Iter<'a> {
    type Item = Edge<'a>;

    fn next(&mut self) -> Option<Edge<'a>> {
        self.0.next().map(|(from, to)| Edge { from, to })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<'a> IntoIterator for &'a Dependencies {
    type Item = Edge<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Identities repeat across edges; building from owned edges shares them.
impl FromIterator<Dependency> for Dependencies {
    fn from_iter<I: IntoIterator<Item = Dependency>>(iter: I) -> Self {
        let mut edges = EdgesBuilder::default();
        iter.into_iter().for_each(|d| edges.push(d));
        edges.finish()
    }
}

/// Owned edges in, [`Dependencies`] out, each identity shared as the edge
/// comes (for edges read in parts, such as a cached model's lines).
#[derive(Default)]
pub struct EdgesBuilder {
    interner: Interner,
    edges: Vec<Shared>,
}

impl EdgesBuilder {
    pub fn push(&mut self, d: Dependency) {
        let edge = (self.interner.share(d.from), self.interner.share(d.to));
        self.edges.push(edge);
    }

    pub fn finish(self) -> Dependencies {
        Dependencies::from_shared(self.edges)
    }
}

impl Serialize for Dependencies {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            from: &'a ObjectId,
            to: &'a ObjectId,
        }
        s.collect_seq(self.iter().map(|e| Out { from: e.from, to: e.to }))
    }
}

/// Each edge is shared as it is read: a list of owned edges first, then
/// shared, held every identity twice over at once (at 10,000 tables some
/// 60 MB more while a cached model was read).
impl<'de> Deserialize<'de> for Dependencies {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Edges;
        impl<'de> serde::de::Visitor<'de> for Edges {
            type Value = Dependencies;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of dependency edges")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Dependencies, A::Error> {
                let mut edges = EdgesBuilder::default();
                while let Some(d) = seq.next_element::<Dependency>()? {
                    edges.push(d);
                }
                Ok(edges.finish())
            }
        }
        d.deserialize_seq(Edges)
    }
}

/// One shared copy of each identity.
#[derive(Default)]
struct Interner(HashSet<Arc<ObjectId>>);

impl Interner {
    fn share(&mut self, id: ObjectId) -> Arc<ObjectId> {
        if let Some(shared) = self.0.get(&id) {
            return shared.clone();
        }
        let shared = Arc::new(id);
        self.0.insert(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::QualName;

    fn table(name: &str) -> ObjectId {
        ObjectId::Table { name: QualName::new("public", name) }
    }

    fn deps(pairs: &[(&str, &str)]) -> Dependencies {
        pairs.iter().map(|(f, t)| Dependency { from: table(f), to: table(t) }).collect()
    }

    fn listed(d: &Dependencies) -> Vec<(String, String)> {
        d.iter().map(|e| (e.from.to_string(), e.to.to_string())).collect()
    }

    #[test]
    fn lookups_find_what_an_object_depends_on() {
        let d = deps(&[("b", "a"), ("c", "a"), ("c", "b"), ("c", "b")]);
        assert_eq!(d.len(), 3);
        assert!(d.contains(&table("c"), &table("b")));
        assert!(!d.contains(&table("b"), &table("c")));
        assert_eq!(d.of(&table("c")).map(ToString::to_string).collect::<Vec<_>>(), ["public.a", "public.b"]);
        assert_eq!(d.of(&table("a")).count(), 0);
    }

    #[test]
    fn renaming_keeps_the_edges_sorted_and_unique() {
        let mut d = deps(&[("b", "a"), ("c", "a"), ("z", "c")]);
        let shared = d.clone();
        // a → y moves edges to the end; c → b swaps sides of an edge.
        d.rename(|id| match id.to_string().as_str() {
            "public.a" => Some(table("y")),
            "public.c" => Some(table("b")),
            _ => None,
        });
        let expected = deps(&[("b", "y"), ("z", "b")]);
        assert_eq!(listed(&d), listed(&expected));
        assert_eq!(d, expected);
        assert_eq!(shared.len(), 3, "the copy it was cloned from is untouched");
    }

    #[test]
    fn serializes_as_a_list_of_pairs() {
        let d = deps(&[("b", "a")]);
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.starts_with("[{\"from\":"), "{json}");
        let back: Dependencies = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
    }
}
