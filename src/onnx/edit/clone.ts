import { Graph } from '../ir/graph.js';
import { Model } from '../ir/model.js';
import { Node } from '../ir/node.js';
import type { Attribute } from '../ir/attribute.js';

/**
 * A structural copy: nodes, value lists and subgraphs are new objects, so the copy can be
 * edited freely; tensor payloads (TensorProtos) are shared, and edits replace rather than mutate them.
 */
export function cloneModel(model: Model): Model {
  const copy = new Model({ graph: cloneGraph(model.graph), irVersion: model.irVersion, opsets: new Map(model.opsets) });
  if (model.producerName !== undefined) copy.producerName = model.producerName;
  if (model.producerVersion !== undefined) copy.producerVersion = model.producerVersion;
  if (model.domain !== undefined) copy.domain = model.domain;
  if (model.modelVersion !== undefined) copy.modelVersion = model.modelVersion;
  if (model.docString !== undefined) copy.docString = model.docString;
  if (model.baseDir !== undefined) copy.baseDir = model.baseDir;
  copy.metadataProps = [...model.metadataProps];
  copy.functions = [...model.functions];
  copy.trainingInfo = [...model.trainingInfo];
  copy.opsetProtos = model.opsetProtos;
  return copy;
}

export function cloneGraph(graph: Graph): Graph {
  const copy = new Graph({
    name: graph.name,
    nodes: graph.nodes.map(cloneNode),
    inputs: graph.inputs.map((v) => ({ ...v, ...(v.shape ? { shape: [...v.shape] } : {}) })),
    outputs: graph.outputs.map((v) => ({ ...v, ...(v.shape ? { shape: [...v.shape] } : {}) })),
    initializers: new Map(graph.initializers),
    valueInfo: new Map([...graph.valueInfo].map(([k, v]) => [k, { ...v, ...(v.shape ? { shape: [...v.shape] } : {}) }])),
  });
  if (graph.docString !== undefined) copy.docString = graph.docString;
  copy.sparseInitializers = [...graph.sparseInitializers];
  copy.quantizationAnnotation = [...graph.quantizationAnnotation];
  copy.metadataProps = [...graph.metadataProps];
  copy.keepEmpty = graph.keepEmpty;
  return copy;
}

export function cloneNode(node: Node): Node {
  const attributes = new Map<string, Attribute>();
  for (const [name, attr] of node.attributes) attributes.set(name, cloneAttribute(attr));
  const copy = new Node({ opType: node.opType, domain: node.domain, name: node.name, inputs: [...node.inputs], outputs: [...node.outputs], attributes });
  for (const field of node.keepEmpty) copy.keepEmpty.add(field);
  if (node.docString !== undefined) copy.docString = node.docString;
  if (node.overload !== undefined) copy.overload = node.overload;
  if (node.metadataProps !== undefined) copy.metadataProps = node.metadataProps;
  return copy;
}

function cloneAttribute(attr: Attribute): Attribute {
  switch (attr.type) {
    case 'graph': return { ...attr, value: cloneGraph(attr.value) };
    case 'graphs': return { ...attr, value: attr.value.map(cloneGraph) };
    case 'ints': case 'floats': case 'strings': case 'tensors':
      return { ...attr, value: [...attr.value] } as Attribute;
    default: return { ...attr };
  }
}
