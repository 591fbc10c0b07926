import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { parseJsonText, resolveConfig } from '../../core/config/loadConfig';

/** One problem of an experiment's text, placed on the characters it is about. */
export interface ConfigDiagnostic {
  readonly path: string;
  /** The message the command line prints for it. */
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /** For a near miss ("did you mean"): the quick fix, replacing the diagnostic's characters with `text`. */
  readonly fix?: { readonly title: string; readonly text: string };
}

/** "training.learningrate" or "noise.steps[1].amount" as jsonc-parser's path segments. */
function segments(path: string): (string | number)[] {
  return path ? path.split(/\.|(?=\[)/).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part)) : [];
}

/** The node a problem is about: an unknown field's key, else its value; else the nearest existing parent. */
function locate(root: Node | undefined, path: (string | number)[], unknownField: boolean): Node | undefined {
  for (let n = path.length; n >= 0 && root; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    // findNodeAtLocation gives the value; its parent is the property, whose first child is the key.
    if (n === path.length && unknownField && node.parent?.type === 'property') return node.parent.children?.[0];
    return node;
  }
  return root;
}

/**
 * The problems `denoise run` would report for this text, each placed in the text, so the editor underlines
 * them as errors with the command line's words ("did you mean "learningRate"?") and offers the rename.
 */
export function configDiagnostics(text: string): ConfigDiagnostic[] {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { problem } = parsed;
    const lines = text.split('\n');
    const offset = problem.line
      ? lines.slice(0, problem.line - 1).reduce((sum, l) => sum + l.length + 1, 0) + (problem.column ?? 1) - 1
      : 0;
    return [{ path: '', message: problem.message, offset: Math.min(offset, text.length), length: 1 }];
  }
  const root = parseTree(text);
  return resolveConfig(parsed.value).problems.map((problem) => {
    const unknownField = problem.message.startsWith('unknown field');
    const node = locate(root, segments(problem.path), unknownField);
    const suggestion = /did you mean "([^"]+)"/.exec(problem.message)?.[1];
    // A key or a string value the suggestion replaces; a number or an object is not a near miss.
    const replaceable = node?.type === 'string' && suggestion !== undefined;
    return {
      path: problem.path,
      message: problem.path ? `${problem.path}: ${problem.message}` : problem.message,
      offset: node?.offset ?? 0,
      length: node?.length ?? 1,
      fix: replaceable ? { title: `Change to "${suggestion}"`, text: JSON.stringify(suggestion) } : undefined,
    };
  });
}
