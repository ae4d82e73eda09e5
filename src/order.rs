//! Deterministic dependency ordering.
//!
//! petgraph holds the graph; the sort is our own Kahn's algorithm because
//! petgraph's `toposort` follows DFS order, which would make plans and dumps
//! change shape when unrelated objects are added. Among the steps that are
//! ready, one from the same group as the step just emitted goes first (so a
//! table's indexes follow the table), then the smallest sort key.

use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

/// A node to order: `group` keeps related nodes together, `key` decides
/// among the ready ones.
pub struct Node<G, K> {
    pub group: G,
    pub key: K,
}

#[derive(Debug, thiserror::Error)]
#[error("dependency cycle between {}", members.join(", "))]
pub struct CycleError {
    /// The nodes that could not be ordered, described for a person.
    pub members: Vec<String>,
    /// Their indices, for callers to describe them better.
    pub nodes: Vec<usize>,
}

/// Orders `nodes` so that for every edge `(before, after)` the node at
/// index `before` comes first. Returns node indices.
pub fn order<G, K>(nodes: &[Node<G, K>], edges: &[(usize, usize)]) -> Result<Vec<usize>, CycleError>
where
    G: Ord + Hash + Clone,
    K: Ord + std::fmt::Debug,
{
    // Deduplicated up front: `update_edge` would search a node's edges for
    // every edge added, quadratic for the step that everything waits for.
    let mut unique: Vec<(usize, usize)> = edges.iter().copied().filter(|(b, a)| b != a).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(nodes.len(), unique.len());
    let ids: Vec<NodeIndex> = nodes.iter().map(|_| graph.add_node(())).collect();
    for (before, after) in unique {
        graph.add_edge(ids[before], ids[after], ());
    }
    let mut waiting: Vec<usize> =
        ids.iter().map(|&n| graph.neighbors_directed(n, Direction::Incoming).count()).collect();
    let mut ready = Ready::default();
    for (i, w) in waiting.iter().enumerate() {
        if *w == 0 {
            ready.insert(nodes, i);
        }
    }
    let mut sorted = Vec::with_capacity(nodes.len());
    let mut last_group: Option<&G> = None;
    while let Some(i) = ready.take(nodes, last_group) {
        sorted.push(i);
        last_group = Some(&nodes[i].group);
        for next in graph.neighbors_directed(ids[i], Direction::Outgoing) {
            let j = next.index();
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.insert(nodes, j);
            }
        }
    }
    if sorted.len() < nodes.len() {
        let stuck: Vec<usize> = (0..nodes.len()).filter(|&i| waiting[i] > 0).collect();
        let mut members: Vec<String> = stuck.iter().map(|&i| format!("{:?}", nodes[i].key)).collect();
        members.sort();
        return Err(CycleError { members, nodes: stuck });
    }
    Ok(sorted)
}

/// Ready nodes, indexed both globally and per group.
struct Ready<'a, G, K> {
    all: BTreeSet<(&'a K, usize)>,
    by_group: HashMap<&'a G, BTreeSet<(&'a K, usize)>>,
}

impl<G, K> Default for Ready<'_, G, K> {
    fn default() -> Self {
        Ready { all: BTreeSet::new(), by_group: HashMap::new() }
    }
}

impl<'a, G: Ord + Hash, K: Ord> Ready<'a, G, K> {
    fn insert(&mut self, nodes: &'a [Node<G, K>], i: usize) {
        let entry = (&nodes[i].key, i);
        self.all.insert(entry);
        self.by_group.entry(&nodes[i].group).or_default().insert(entry);
    }

    fn take(&mut self, nodes: &'a [Node<G, K>], prefer: Option<&G>) -> Option<usize> {
        let from_group = prefer.and_then(|g| self.by_group.get(g)).and_then(|set| set.first().copied());
        let entry = from_group.or_else(|| self.all.first().copied())?;
        self.all.remove(&entry);
        let group = &nodes[entry.1].group;
        if let Some(set) = self.by_group.get_mut(group) {
            set.remove(&entry);
            if set.is_empty() {
                self.by_group.remove(group);
            }
        }
        Some(entry.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(group: &'static str, key: &'static str) -> Node<&'static str, &'static str> {
        Node { group, key }
    }

    #[test]
    fn respects_edges_and_keeps_groups_together() {
        let nodes = [n("b", "1 table b"), n("a", "1 table a"), n("a", "2 index a"), n("b", "2 index b")];
        let order = order(&nodes, &[(1, 2), (0, 3), (0, 1)]).unwrap();
        let keys: Vec<_> = order.iter().map(|&i| nodes[i].key).collect();
        assert_eq!(keys, ["1 table b", "2 index b", "1 table a", "2 index a"]);
    }

    #[test]
    fn reports_cycle_members() {
        let nodes = [n("a", "x"), n("b", "y"), n("c", "z")];
        let err = order(&nodes, &[(0, 1), (1, 0)]).unwrap_err();
        assert_eq!(err.members, ["\"x\"", "\"y\""]);
    }
}
