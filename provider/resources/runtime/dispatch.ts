/**
 * What runtime v1 does with a request (this module may change between releases; v1.ts may not): per-call
 * credentials, the `cloudstack` input carried into the outputs (read and delete need it), the output schema
 * version, and the migration of outputs written by older layouts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { cloudstackSettingsIssues } from "../../model/cloudstack-settings";
import { contextForResource, contextFromConfig } from "../connection-settings";
import { sameValue, UNKNOWN, type ProviderContext, type ResourceImplementation } from "../impl/context";
import { migrateOutputs, OUTPUT_SCHEMA_VERSION } from "../impl/outputs-schema";

type Props = Record<string, unknown>;

export interface DispatchRequest {
  resource: string;
  method: string;
  config: Record<string, string>;
  args: unknown[];
}

function withSettings(resource: string, outs: Props, settings: unknown): Props {
  const migrated = migrateOutputs(resource, outs);
  return { ...migrated, ...(settings !== undefined ? { cloudstack: settings } : {}), schemaVersion: OUTPUT_SCHEMA_VERSION };
}

/** The implementations know nothing of the settings: they are taken out on the way in and put back on the way out. */
function bare(props: Props | undefined): Props {
  if (!props || typeof props !== "object") return props ?? {};
  const { cloudstack: _c, ...rest } = props;
  return rest;
}

export async function dispatch(impl: ResourceImplementation, request: DispatchRequest): Promise<unknown> {
  const base: ProviderContext = contextFromConfig(request.config ?? {});
  const a = request.args ?? [];
  const ctxFor = (props: Props | undefined) => contextForResource(base, props?.cloudstack);
  switch (request.method) {
    case "check": {
      const [olds, news] = a as [Props, Props];
      const result = await impl.check(ctxFor(news), bare(olds), bare(news));
      const failures = [...(result.failures ?? []), ...cloudstackSettingsIssues(news.cloudstack, (v) => v === UNKNOWN).map((i) => ({ property: i.path, reason: i.message }))];
      return { inputs: news, failures };
    }
    case "diff": {
      const [id, olds, news] = a as [string, Props, Props];
      const result: pulumi.dynamic.DiffResult = await impl.diff(ctxFor(news), id, bare(olds), bare(news));
      // Other credentials, or outputs of an older layout: an in-place update rewrites the state, never a replace.
      const extra = !sameValue(olds.cloudstack, news.cloudstack) || olds.schemaVersion !== OUTPUT_SCHEMA_VERSION;
      return extra && !result.changes ? { ...result, changes: true } : result;
    }
    case "create": {
      const [inputs] = a as [Props];
      const result = await impl.create(ctxFor(inputs), bare(inputs));
      return { ...result, outs: withSettings(request.resource, result.outs ?? {}, inputs.cloudstack) };
    }
    case "read": {
      const [id, props] = a as [string, Props];
      const result = await impl.read(ctxFor(props), id, bare(props));
      if (!result.id) return result;
      return { ...result, props: withSettings(request.resource, result.props ?? {}, props.cloudstack) };
    }
    case "update": {
      const [id, olds, news] = a as [string, Props, Props];
      const result = await impl.update(ctxFor(news), id, bare(olds), bare(news));
      return { ...result, outs: withSettings(request.resource, result.outs ?? {}, news.cloudstack) };
    }
    case "delete": {
      const [id, props] = a as [string, Props];
      return impl.delete(ctxFor(props), id, bare(props));
    }
    default:
      throw new Error(`cloudstack-s2s runtime: unknown method ${JSON.stringify(request.method)}`);
  }
}
