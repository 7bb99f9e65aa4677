import { COUNTRY_CODES } from '../events/iso-3166-countries.js';
import { SCHEMA_VERSION, type PixEvent } from '../events/schema.js';

interface TrafficOptions {
  products: number;
  sites: readonly string[];
  seed: number;
  now?: () => Date;
}

interface SimulatedProduct {
  price: number;
  currency: string;
  discount: number;
  country: string;
}

const CURRENCIES = ['USD', 'USD', 'EUR', 'EUR', 'GBP', 'CHF'];
const DISCOUNTS = [5, 10, 15, 20, 25, 30, 40, 50];
const COUNTRIES = [...COUNTRY_CODES];

/** mulberry32: small, fast and good enough for demo traffic; the same seed gives the same stream. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * An endless stream of plausible catalogue changes: prices walk in small steps with two
 * decimals, discounts come and go, products move between real countries. Ids and values come
 * from the seed, so a seed replays the same stream (only occurredAt is the wall clock).
 */
export function* simulatedTraffic(options: TrafficOptions): Generator<PixEvent> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const now = options.now ?? (() => new Date());
  const states = new Map<number, SimulatedProduct>();
  const stateOf = (product: number): SimulatedProduct => {
    let state = states.get(product);
    if (!state) {
      state = {
        price: Math.round((2 + random() * 498) * 100) / 100,
        currency: pick(CURRENCIES),
        discount: 0,
        country: pick(COUNTRIES),
      };
      states.set(product, state);
    }
    return state;
  };

  for (;;) {
    const product = 1 + Math.floor(random() * options.products);
    const state = stateOf(product);
    const envelope = {
      eventId: uuidFrom(random),
      productId: String(product),
      occurredAt: now().toISOString(),
      origin: pick(options.sites),
      schemaVersion: SCHEMA_VERSION,
    };
    const roll = random();
    if (roll < 0.6) {
      const step = 1 + (random() - 0.5) * 0.04;
      state.price = Math.max(0.01, Math.round(state.price * step * 100) / 100);
      yield { type: 'price', ...envelope, price: state.price, currency: state.currency };
    } else if (roll < 0.85) {
      state.discount = state.discount === 0 || random() < 0.3 ? pick(DISCOUNTS) : 0;
      yield { type: 'discount', ...envelope, discount: state.discount };
    } else {
      state.country = pick(COUNTRIES);
      yield { type: 'country', ...envelope, country: state.country };
    }
  }
}

/** A version 4 UUID whose random bits come from the seeded generator. */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
