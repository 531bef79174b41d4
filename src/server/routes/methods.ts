/** GET /api/methods: Captum's methods by name, and what each needs (a layer, a neuron). */
import type { FastifyInstance } from 'fastify';
import { METHODS } from '../../attribution/methods.js';
import type { MethodsResponse } from '../api-types.js';

export function registerMethodRoutes(app: FastifyInstance): void {
  const body: MethodsResponse = {
    methods: Object.entries(METHODS).map(([name, spec]) => ({
      name, title: spec.title, family: spec.family, needsLayer: spec.layer === 'required', needsNeuron: spec.reads.includes('neuronSelector'),
    })),
  };
  app.get('/api/methods', async (): Promise<MethodsResponse> => body);
}
