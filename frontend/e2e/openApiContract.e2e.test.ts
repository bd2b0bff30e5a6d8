/**
 * The dashboard's API types (src/api/types.ts) against the running app's OpenAPI document: every interface
 * tagged `@openapi Name` must have exactly the properties of that schema, each of the same kind (number,
 * string, boolean, array, object). Read with the TypeScript compiler, so the types are written only once.
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, inject, it } from 'vitest';

type Kind = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'unknown';

interface SchemaProperty { type?: string | string[]; $ref?: string; items?: unknown; enum?: unknown[] }
interface OpenApi { components: { schemas: Record<string, { properties?: Record<string, SchemaProperty> }> } }

function schemaKind(property: SchemaProperty): Kind {
  if (property.$ref !== undefined) return 'object';
  const types = Array.isArray(property.type) ? property.type : [property.type];
  const type = types.find((t) => t !== 'null');
  switch (type) {
    case 'integer': case 'number': return 'number';
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'array': return 'array';
    case 'object': return 'object';
    default: return 'unknown';
  }
}

function typeKind(checker: ts.TypeChecker, type: ts.Type): Kind {
  const nonNull = checker.getNonNullableType(type);
  if (checker.isArrayType(nonNull)) return 'array';
  if (nonNull.flags & ts.TypeFlags.NumberLike) return 'number';
  if (nonNull.flags & ts.TypeFlags.StringLike) return 'string';
  if (nonNull.flags & ts.TypeFlags.BooleanLike) return 'boolean';
  if (nonNull.isUnion() && nonNull.types.every((t) => t.flags & ts.TypeFlags.StringLike)) return 'string';
  if (nonNull.flags & ts.TypeFlags.Object) return 'object';
  return 'unknown';
}

/** Interface name → [schema name, property kinds] for every `@openapi`-tagged interface. */
function taggedInterfaces(): Map<string, { schema: string; properties: Map<string, Kind> }> {
  const file = resolve('src/api/types.ts');
  const program = ts.createProgram([file], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const found = new Map<string, { schema: string; properties: Map<string, Kind> }>();
  source?.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === 'openapi');
    const comment = typeof tag?.comment === 'string' ? tag.comment : undefined;
    const schema = comment?.trim().split(/\s+/)[0];
    if (schema === undefined) return;
    const properties = new Map<string, Kind>();
    for (const symbol of checker.getTypeAtLocation(node).getProperties()) {
      properties.set(symbol.name, typeKind(checker, checker.getTypeOfSymbol(symbol)));
    }
    found.set(node.name.text, { schema, properties });
  });
  return found;
}

describe('API types match the OpenAPI document', () => {
  it('has the same fields of the same kinds as each tagged schema', async () => {
    const document = (await (await fetch(`${inject('appUrl')}/v3/api-docs`)).json()) as OpenApi;
    const interfaces = taggedInterfaces();
    expect(interfaces.size, 'tagged interfaces found in types.ts').toBeGreaterThanOrEqual(15);
    const mismatches: string[] = [];
    for (const [name, { schema, properties }] of interfaces) {
      const openApi = document.components.schemas[schema]?.properties;
      if (openApi === undefined) {
        mismatches.push(`${name}: no schema ${schema} in /v3/api-docs`);
        continue;
      }
      for (const [property, kind] of properties) {
        const other = openApi[property];
        if (other === undefined) mismatches.push(`${name}.${property}: not in schema ${schema}`);
        else if (schemaKind(other) !== kind) mismatches.push(`${name}.${property}: ${kind} here, ${schemaKind(other)} in ${schema}`);
      }
      for (const property of Object.keys(openApi)) {
        if (!properties.has(property)) mismatches.push(`${name}: misses ${schema}.${property}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
