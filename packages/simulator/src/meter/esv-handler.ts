import { ESV, type Frame, type Property } from '@b-route/echonet';

/**
 * How an ECHONET Lite object answers requests (Part 2 §4.2.3 ESV processing), independent of
 * what the object is. Each property of a request is processed on its own; the answer is the
 * success ESV only when every property succeeded, else the matching "not possible" ESV.
 */
export interface EchonetObject {
  readonly eoj: number;
  /** EDT of a readable property, or undefined when the object lacks it. */
  get(epc: number): Uint8Array | undefined;
  /** Applies a Set; false when the property is not settable or the value is refused. */
  set(epc: number, edt: Uint8Array): boolean;
}

export interface ServeOptions {
  /**
   * Picky meters: a Get asking for more properties than this is refused as a whole with a
   * Get_SNA that carries every requested EPC at PDC 0, so a client must retry with smaller
   * frames. Default: no limit.
   */
  readonly maxPropertiesPerGet?: number;
}

/** The answer of `object` to `request`, or null when the ESV calls for none. */
export function serve(object: EchonetObject, request: Frame, options: ServeOptions = {}): Frame | null {
  const reply = (esv: number, properties: Property[], getProperties?: Property[]): Frame => ({
    tid: request.tid,
    seoj: object.eoj,
    deoj: request.seoj,
    esv,
    properties,
    ...(getProperties === undefined ? {} : { getProperties }),
  });
  const props = request.properties;

  switch (request.esv) {
    case ESV.Get: {
      const limit = options.maxPropertiesPerGet;
      if (limit !== undefined && props.length > limit) {
        return reply(ESV.Get_SNA, props.map(empty));
      }
      const r = getAll(object, props);
      return reply(r.ok && props.length > 0 ? ESV.Get_Res : ESV.Get_SNA, r.properties);
    }
    case ESV.INF_REQ: {
      const r = getAll(object, props);
      return reply(r.ok && props.length > 0 ? ESV.INF : ESV.INF_SNA, r.properties);
    }
    case ESV.SetC: {
      const r = setAll(object, props);
      return reply(r.ok && props.length > 0 ? ESV.Set_Res : ESV.SetC_SNA, r.properties);
    }
    case ESV.SetI: {
      const r = setAll(object, props);
      return r.ok && props.length > 0 ? null : reply(ESV.SetI_SNA, r.properties);
    }
    case ESV.SetGet: {
      const s = setAll(object, props);
      const g = getAll(object, request.getProperties ?? []);
      const ok = s.ok && g.ok && props.length + (request.getProperties?.length ?? 0) > 0;
      return reply(ok ? ESV.SetGet_Res : ESV.SetGet_SNA, s.properties, g.properties);
    }
    case ESV.INFC:
      // Part 2 §4.2.3.5: the receiver confirms with the EPCs at PDC 0.
      return reply(ESV.INFC_Res, props.map(empty));
    default:
      return null;
  }
}

function empty(p: Property): Property {
  return { epc: p.epc, edt: new Uint8Array(0) };
}

/** Unsupported properties come back at PDC 0 (Get_SNA); the others still carry values. */
function getAll(object: EchonetObject, props: readonly Property[]): { ok: boolean; properties: Property[] } {
  let ok = true;
  const properties = props.map((p) => {
    const edt = object.get(p.epc);
    if (edt === undefined) {
      ok = false;
      return empty(p);
    }
    return { epc: p.epc, edt };
  });
  return { ok, properties };
}

/** Accepted properties come back at PDC 0; refused ones echo the requested EDT (SetC_SNA). */
function setAll(object: EchonetObject, props: readonly Property[]): { ok: boolean; properties: Property[] } {
  let ok = true;
  const properties = props.map((p) => {
    if (object.set(p.epc, p.edt)) return empty(p);
    ok = false;
    return { epc: p.epc, edt: p.edt };
  });
  return { ok, properties };
}
