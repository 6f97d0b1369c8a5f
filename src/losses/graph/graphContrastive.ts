import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { CONTRASTIVE_EXAMPLE_VIEWS } from '../ranking/common.js';
import type { NtXentPlan } from '../ranking/ntXent.js';
import { ntXentKernel, prepareNtXent } from '../ranking/ntXent.js';

/**
 * GRACE's contrastive objective on two augmented views of a graph's node embeddings: the same
 * function, plan and kernel as ntXent (symmetric NT-Xent with intra- and inter-view negatives),
 * registered under the graph family with node-embedding names in its documentation.
 */
export const graphContrastive = defineLoss({
  meta: {
    id: 'graphContrastive',
    task: 'graph',
    title: 'Graph contrastive loss (GRACE)',
    summary:
      'Each node embedding of one view must pick the same node in the other view among all other nodes of both views, by cosine similarity / temperature.',
    formula:
      '\\ell(u_i, v_i) = -\\log \\frac{e^{\\theta(u_i, v_i)/\\tau}}{\\sum_{k} e^{\\theta(u_i, v_k)/\\tau} + \\sum_{k \\ne i} e^{\\theta(u_i, u_k)/\\tau}},\\quad L = \\frac{1}{2N}\\sum_i \\bigl(\\ell(u_i, v_i) + \\ell(v_i, u_i)\\bigr)',
    inputs: [
      {
        name: 'z1',
        role: 'nodeEmbeddings',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Node embeddings (after the projection head) of the first augmented view of the graph.',
      },
      {
        name: 'z2',
        role: 'nodeEmbeddings',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Node embeddings of the second view; row i is the same node as row i of z1.',
      },
    ],
    options: {
      temperature: {
        type: 'number',
        default: 0.5,
        min: 0,
        exclusiveMin: true,
        doc: 'Temperature τ (GRACE tunes 0.4 to 0.9 per dataset).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Zhu, Xu, Yu, Liu, Wu, Wang (2020), Deep Graph Contrastive Representation Learning (GRACE)',
        url: 'https://arxiv.org/abs/2006.04131',
        implementation: 'CRIPAC-DIG/GRACE model.py GRACE.loss (mean=True)',
      },
    ],
    examples: [
      {
        title: 'Four nodes seen in two views',
        inputs: {
          z1: [...CONTRASTIVE_EXAMPLE_VIEWS.a, [0.5, 0.5, 0.1]],
          z2: [...CONTRASTIVE_EXAMPLE_VIEWS.b, [0.6, 0.3, 0.2]],
        },
      },
    ],
    whenToUse:
      'Self-supervised node representation learning without labels (GRACE): corrupt the graph twice (drop edges, mask features), embed both views with the same GNN, and pull each node towards itself in the other view while pushing it from every other node. Use it to pre-train node embeddings for classification or clustering when labels are scarce.',
    caveats: [
      'Every node is a negative of every other, so the cost and memory are O(N²·D) per step: sample sub-graphs or nodes for large graphs.',
      'Nodes of the same class count as negatives too (no labels are used), which pushes apart nodes that should be close; a higher temperature softens this.',
      'The strength of the augmentations (edge-drop and feature-mask rates) matters as much as the loss: views that are too alike make the task trivial.',
    ],
    notes: [
      'The same function as ntXent (section 5), with its plan and kernel: values and gradients are identical.',
      "'none' gives the per-node values ½(ℓ(z1_i, z2_i) + ℓ(z2_i, z1_i)), 'mean' their mean (GRACE's loss), 'sum' their sum.",
    ],
  },
  prepare: (inputs, options, id): NtXentPlan =>
    prepareNtXent(id, inputs.z1, inputs.z2, options.temperature),
  writesEveryGrad: true,
  kernel: ntXentKernel,
});
