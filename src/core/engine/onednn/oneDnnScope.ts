import { DESC_BYTES, DNNL, type Handle, type OneDnn } from './loadOneDnn';

/** Float memory oneDNN allocated, seen from JavaScript as a Float32Array of its own bytes. */
export interface OwnedFloats {
  readonly memory: Handle;
  /** Where the floats are, for memory objects of other shapes over the same bytes. */
  readonly address: bigint;
  readonly floats: Float32Array;
}

/** A primitive and the memory objects it runs on, packed once as the dnnl_exec_arg_t array it takes. */
export interface Runnable {
  readonly primitive: Handle;
  readonly args: Uint8Array;
}

const dims64 = (values: readonly number[]) => BigInt64Array.from(values.map(BigInt));

/**
 * The oneDNN objects of one owner (descriptors, memory, primitives), made through small typed helpers and
 * destroyed together by dispose(), so that the code that builds a training step reads as what it computes.
 */
export class OneDnnScope {
  private readonly destroy: (() => void)[] = [];
  /** The memory objects made over each address of given bytes, so that moveBytes can point them elsewhere. */
  private readonly memoriesAt = new Map<bigint, Handle[]>();

  constructor(readonly onednn: OneDnn) {}

  /** A memory descriptor of f32 values with the given dims and layout tag. */
  md(dims: readonly number[], tag: number): Uint8Array {
    const md = new Uint8Array(DESC_BYTES.memory);
    this.onednn.call.memory_desc_init_by_tag(md, dims.length, dims64(dims), DNNL.f32, tag);
    return md;
  }

  /** A memory descriptor of f32 values with the given dims and the stride (in floats) of each. */
  stridedMd(dims: readonly number[], strides: readonly number[]): Uint8Array {
    const md = new Uint8Array(DESC_BYTES.memory);
    this.onednn.call.memory_desc_init_by_strides(md, dims.length, dims64(dims), DNNL.f32, dims64(strides));
    return md;
  }

  /** A memory object of descriptor md over the bytes at `address` (DNNL.allocate: new bytes oneDNN owns). */
  memory(md: Uint8Array | Handle, address: bigint = DNNL.allocate): Handle {
    const out: [Handle] = [null];
    this.onednn.call.memory_create(out, md, this.onednn.engine, address);
    this.destroy.push(() => this.onednn.call.memory_destroy(out[0]));
    if (address !== DNNL.allocate) this.memoriesAt.set(address, [...(this.memoriesAt.get(address) ?? []), out[0]]);
    return out[0];
  }

  /**
   * The floats of a JavaScript array as oneDNN memory, without a copy. The array's bytes must never move: a
   * view on a fixed-size shared WebAssembly.Memory (as directOptimizer.ts's arrays are) qualifies.
   */
  over(floats: Float32Array): OwnedFloats {
    const memory: [Handle] = [null];
    const md = this.md([floats.length], DNNL.tag.a);
    this.onednn.call.memory_create_on_array(memory, md, this.onednn.engine, floats);
    this.destroy.push(() => this.onednn.call.memory_destroy(memory[0]));
    const pointer: [Handle] = [null];
    this.onednn.call.memory_get_data_handle(memory[0], pointer);
    return { memory: memory[0], address: this.onednn.address(pointer[0]), floats };
  }

  /** Points every memory object made over the bytes at `from` (by memory()) at `to` instead. */
  moveBytes(from: bigint, to: bigint): void {
    const moved = this.memoriesAt.get(from) ?? [];
    for (const memory of moved) this.onednn.call.memory_set_data_handle(memory, to);
    this.memoriesAt.delete(from);
    this.memoriesAt.set(to, [...(this.memoriesAt.get(to) ?? []), ...moved]);
  }

  /** `count` floats oneDNN allocates (64-byte aligned), also seen from JavaScript. */
  floats(count: number): OwnedFloats {
    const memory = this.memory(this.md([count], DNNL.tag.a));
    const pointer: [Handle] = [null];
    this.onednn.call.memory_get_data_handle(memory, pointer);
    return {
      memory,
      address: this.onednn.address(pointer[0]),
      floats: new Float32Array(this.onednn.view(pointer[0], count * 4)),
    };
  }

  /** The primitive descriptor of an operation descriptor, with an optional attribute and forward hint. */
  primitiveDesc(opDesc: Uint8Array, hint: Handle = null, attr: Handle = null): Handle {
    const out: [Handle] = [null];
    this.onednn.call.primitive_desc_create(out, opDesc, attr, this.onednn.engine, hint);
    this.destroy.push(() => this.onednn.call.primitive_desc_destroy(out[0]));
    return out[0];
  }

  /** A reorder between two layouts of the same values. */
  reorderDesc(fromMd: Handle, toMd: Handle): Handle {
    const out: [Handle] = [null];
    this.onednn.call.reorder_primitive_desc_create(out, fromMd, this.onednn.engine, toMd, this.onednn.engine, null);
    this.destroy.push(() => this.onednn.call.primitive_desc_destroy(out[0]));
    return out[0];
  }

  /** An attribute with a ReLU after the operation (oneDNN's post-op), so a convolution and its ReLU are one pass. */
  reluAfter(): Handle {
    return this.eltwiseAfter(DNNL.alg.relu, 0);
  }

  /** An attribute with an elementwise function (oneDNN's eltwise algorithm `alg`) after the operation. */
  eltwiseAfter(alg: number, alpha: number): Handle {
    const { call } = this.onednn;
    const postOps: [Handle] = [null];
    call.post_ops_create(postOps);
    call.post_ops_append_eltwise(postOps[0], 1, alg, alpha, 0);
    const attr: [Handle] = [null];
    call.primitive_attr_create(attr);
    call.primitive_attr_set_post_ops(attr[0], postOps[0]);
    call.post_ops_destroy(postOps[0]);
    this.destroy.push(() => call.primitive_attr_destroy(attr[0]));
    return attr[0];
  }

  /** The primitive of pd, with its arguments (DNNL.arg -> memory) packed for run(). */
  runnable(pd: Handle, args: Record<number, Handle>): Runnable {
    const out: [Handle] = [null];
    this.onednn.call.primitive_create(out, pd);
    this.destroy.push(() => this.onednn.call.primitive_destroy(out[0]));
    const entries = Object.entries(args);
    const packed = new Uint8Array(16 * entries.length);
    const view = new DataView(packed.buffer);
    entries.forEach(([arg, memory], i) => {
      view.setInt32(16 * i, Number(arg), true);
      view.setBigUint64(16 * i + 8, this.onednn.address(memory), true);
    });
    return { primitive: out[0], args: packed };
  }

  /** Runs a primitive; the stream is in order, so the next run() sees its results. */
  run(runnable: Runnable): void {
    this.onednn.call.primitive_execute(
      runnable.primitive,
      this.onednn.stream,
      runnable.args.length / 16,
      runnable.args,
    );
  }

  /** Waits for everything run() started. */
  wait(): void {
    this.onednn.call.stream_wait(this.onednn.stream);
  }

  dispose(): void {
    for (const destroy of this.destroy.splice(0).reverse()) destroy();
  }
}
