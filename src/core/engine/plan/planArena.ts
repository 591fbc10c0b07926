import type { OneDnn } from '../onednn/loadOneDnn';
import { OneDnnScope, type OwnedFloats } from '../onednn/oneDnnScope';

/**
 * Activation buffers that outlive the inference plans made over them. Plans of one graph at different image
 * sizes ask for their buffers in the same order, so the k-th request of every plan gets slot k: a plan for a
 * new size reuses the previous plan's memory, and a slot grows (new bytes, the old ones freed) only when a
 * plan needs more than it holds. Growing moves a slot, so the plans made over the old bytes must be gone by
 * then: `generation` changes whenever a slot grew, and an owner caching plans drops those of older ones.
 */
export class PlanArena {
  private readonly slots: { scope: OneDnnScope; floats: OwnedFloats; count: number }[] = [];
  private next = 0;
  /** Bytes the plan made last asked for (its own activations, whatever the slots hold beyond). */
  lastPlanBytes = 0;
  /** Incremented whenever a slot was reallocated (plans over the old bytes are stale). */
  generation = 0;

  constructor(private readonly onednn: OneDnn) {}

  /** A plan starts taking its buffers from the first slot. */
  begin(): void {
    this.next = 0;
    this.lastPlanBytes = 0;
  }

  /** The next slot, holding at least `count` floats. */
  floats(count: number): OwnedFloats {
    const index = this.next++;
    this.lastPlanBytes += 4 * count;
    const slot = this.slots[index];
    if (slot && slot.count >= count) return slot.floats;
    if (slot) {
      slot.scope.dispose();
      this.generation++;
    }
    const scope = new OneDnnScope(this.onednn);
    this.slots[index] = { scope, floats: scope.floats(count), count };
    return this.slots[index].floats;
  }

  /** Bytes held in all slots. */
  bytes(): number {
    return this.slots.reduce((sum, s) => sum + 4 * s.count, 0);
  }

  dispose(): void {
    for (const slot of this.slots.splice(0)) slot.scope.dispose();
  }
}
