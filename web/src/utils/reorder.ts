// Moving an item of an ordered list (triage rules, SLA policies) one place
// up or down: positions become 10, 20, 30… and only the items whose
// position changes are saved.

export interface Positioned {
  id: number
  position: number
}

/** The new order; `save` is called for each item whose position changes and its answer merged into the item. */
export async function moveByPosition<T extends Positioned>(
  items: T[],
  index: number,
  delta: number,
  save: (item: T, position: number) => Promise<Partial<T>>,
): Promise<T[]> {
  const order = [...items]
  const [moved] = order.splice(index, 1)
  order.splice(index + delta, 0, moved)
  for (const [i, item] of order.entries()) {
    const position = (i + 1) * 10
    if (item.position !== position) Object.assign(item, await save(item, position))
  }
  return order
}
