//! Header counts for the container view.
use crate::model::Container;
use crate::status::{ContainerStatus, Health};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContainerCounts {
    pub containers: usize,
    pub running: usize,
    pub stacks: usize,
    /// Containers with an image update available.
    pub updates: usize,
    /// Containers whose health check fails, or that were killed for running out of memory.
    pub unhealthy: usize,
}

/// Counts of disjoint sets of containers add up: the web layer counts blocks of containers
/// separately (so one change re-counts one block) and sums the blocks.
impl std::ops::Add for ContainerCounts {
    type Output = ContainerCounts;
    fn add(self, o: ContainerCounts) -> ContainerCounts {
        ContainerCounts {
            containers: self.containers + o.containers,
            running: self.running + o.running,
            stacks: self.stacks + o.stacks,
            updates: self.updates + o.updates,
            unhealthy: self.unhealthy + o.unhealthy,
        }
    }
}

impl std::iter::Sum for ContainerCounts {
    fn sum<I: Iterator<Item = ContainerCounts>>(iter: I) -> ContainerCounts {
        iter.fold(ContainerCounts::default(), |a, b| a + b)
    }
}

/// Count what the header shows. `items` are the containers currently shown (after filters),
/// `stacks_shown` the number of stacks among them; the caller knows that from its groups.
pub fn container_counts<'a>(
    items: impl IntoIterator<Item = (&'a Container, &'a ContainerStatus)>,
    stacks_shown: usize,
) -> ContainerCounts {
    let mut counts = ContainerCounts { stacks: stacks_shown, ..Default::default() };
    for (_, st) in items {
        counts.containers += 1;
        counts.running += usize::from(st.run.is_running());
        counts.updates += usize::from(st.update.available);
        counts.unhealthy += usize::from(st.health == Health::Unhealthy || st.oom);
    }
    counts
}
