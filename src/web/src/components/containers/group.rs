use super::row::ContainerRow;
use crate::components::shared::{ActionButtons, GroupSelect};
use crate::use_ctx;
use fleet_deck_core::actions::container::stack_options;
use fleet_deck_core::model::ItemRef;
use fleet_deck_core::view::containers::{ContainerGroup, GroupKind};
use leptos::prelude::*;

/// One stack (or standalone/endpoint group): a heading that toggles it, its state and running
/// count, stack actions, select-all, and a page of rows with "Show more". `row_cap` limits the
/// rows while the view's first paint is revealed.
#[component]
pub fn StackGroup(group_key: String, groups: Memo<Vec<ContainerGroup>>, many: Memo<bool>, row_cap: Signal<usize>) -> impl IntoView {
    let s = use_ctx().store;
    // A Copy handle on the key keeps every closure below Copy (views need Fn children).
    let gk = StoredValue::new(group_key.clone());
    let group = Memo::new(move |_| gk.with_value(|k| groups.with(|gs| gs.iter().find(|g| &g.key == k).cloned())));
    let kind = move || group.with(|g| g.as_ref().map(|g| g.kind.clone()));
    let stack_key = move || match kind() {
        Some(GroupKind::Stack { stack_key }) => Some(stack_key),
        _ => None,
    };
    let title = move || {
        group.with(|g| match g {
            Some(g) => match &g.kind {
                GroupKind::Standalone { .. } => s.tr("group.standalone", &[("endpoint", &g.title)]),
                GroupKind::All => s.t("group.all"),
                _ => g.title.clone(),
            },
            None => String::new(),
        })
    };
    let kind_id = move || match kind() {
        Some(GroupKind::Stack { .. }) => "stack",
        Some(GroupKind::Standalone { .. }) => "standalone",
        Some(GroupKind::Endpoint { .. }) => "endpoint",
        _ => "all",
    };
    let keys = Memo::new(move |_| group.with(|g| g.as_ref().map(|g| g.container_keys.clone()).unwrap_or_default()));
    let running = Memo::new(move |_| {
        let m = s.model.get();
        keys.with(|ks| ks.iter().filter(|k| m.container_brief(k).is_some_and(|st| st.run.is_running())).count())
    });
    let total = move || keys.with(Vec::len);
    let state = move || {
        let (r, t) = (running.get(), total());
        if r == 0 {
            "stopped"
        } else if r == t {
            "running"
        } else {
            "partial"
        }
    };

    let crate::hooks::use_group_open::UseGroupOpen { open, toggle } =
        crate::hooks::use_group_open::use_group_open(s, gk, many, s.container_search);

    let stack_actions = move || {
        let sk = stack_key()?;
        let m = s.model.get();
        let stack = m.inv.stack(&sk)?.clone();
        let admin = s.is_admin.get();
        let opts = m.with_states(stack.roles.entity_ids(), |states| stack_options(&stack, states, admin));
        Some((ItemRef::Stack(sk), stack.name.clone(), opts))
    };
    let paged = move || gk.with_value(|k| s.page_limit(k));
    let visible = Memo::new(move |_| {
        let limit = paged().min(row_cap.get());
        keys.with(|ks| ks.iter().take(limit).cloned().collect::<Vec<_>>())
    });
    let hidden = move || total().saturating_sub(paged());
    let more = move |_| s.pages.update(|p| *p.entry(gk.get_value()).or_insert(0) += 1);
    let items = Signal::derive(move || keys.with(|ks| ks.iter().map(|k| ItemRef::Container(k.clone())).collect::<Vec<_>>()));
    // A stack of read-only containers (tomaae) has nothing a selection could act on.
    let selectable = Memo::new(move |_| s.model.with(|m| keys.with(|ks| ks.iter().any(|k| m.container(k).is_some_and(|c| !c.source.read_only())))));

    view! {
        <section class="fd-group" data-group=group_key.clone() data-group-kind=kind_id data-title=move || group.with(|g| g.as_ref().map(|g| g.title.clone()).unwrap_or_default()) data-state=state>
            // Its checkbox hidden (style.css), not removed: the box keeps the title in its column.
            <div class="fd-group-head" class:fd-noselect=move || !selectable.get()>
                <GroupSelect items=items label=Signal::derive(title)/>
                <h3 class="fd-group-title">
                    <button class="fd-toggle" aria-expanded=move || open().to_string() on:click=toggle>
                        <span class="fd-chevron" aria-hidden="true"></span>
                        <span class="fd-group-name">{title}</span>
                    </button>
                </h3>
                <span class="fd-chip" data-stack-state=state>
                    {move || s.tr("group.running_total", &[("running", &running.get().to_string()), ("total", &total().to_string())])}
                </span>
                {move || stack_actions().map(|(item, name, opts)| view! { <ActionButtons item=item name=name options=opts compact=true/> })}
            </div>
            <Show when=open>
                <div class="fd-rows" role="list">
                    <For each=move || visible.get() key=|k: &String| k.clone() let(key)>
                        <ContainerRow container_key=key/>
                    </For>
                    <Show when=move || { hidden() > 0 }>
                        <button class="fd-more" on:click=more>{move || s.tr("show_more", &[("n", &hidden().to_string())])}</button>
                    </Show>
                </div>
            </Show>
        </section>
    }
}
