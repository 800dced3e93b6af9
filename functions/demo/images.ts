/**
 * The image pipeline demo's pure core: images are small JSON objects standing for photos,
 * each with the licence plates it shows. Detecting finds the plates (a corrupt image has
 * none to find: it cannot be decoded), blurring masks them, recognition reads the plate crops
 * (a plate obscured in the photo cannot be read) and tags each by region.
 */
import { PoisonRecordError } from '../lib/errors';

/** Where originals and blurred copies live in the image bucket. */
export const ImageKeys = {
  originals: 'originals/',
  blurred: 'blurred/',
  /** `originals/<batch>/<id>.json`. */
  original: (batch: string, id: string) => `originals/${batch}/${id}.json`,
  /** `blurred/<batch>/<id>.json`. */
  blurredOf: (originalKey: string) => `blurred/${originalKey.slice('originals/'.length)}`,
  /** The batch and id an original's key names. */
  parse: (key: string): { batch: string; id: string } => {
    const [, batch = '', file = ''] = key.split('/');
    return { batch, id: file.replace(/\.json$/, '') };
  },
} as const;

/** A photo: its id and the plates it shows; `corrupt` ones cannot be decoded. */
export interface Image {
  readonly id: string;
  readonly plates: readonly string[];
  readonly corrupt?: boolean;
}

/** What detection found. */
export interface Detected {
  readonly image: Image;
  /** Plate regions: the crop's text and where it is. */
  readonly regions: readonly { readonly crop: string; readonly box: readonly [number, number] }[];
}

/** A blurred image and the crops recognition gets (it never sees the original). */
export interface Blurred {
  readonly blurred: Image;
  readonly crops: readonly string[];
}

/** What the blur stage hands on, per image. */
export interface BlurredRef {
  readonly key: string;
  readonly batch: string;
  readonly id: string;
  readonly crops: readonly string[];
}

/** A plate reads as two letters, a dash and three digits. */
const PLATE = /^[A-Z]{2}-\d{3}$/;

/** Finds the plates; a corrupt image is poison (no retry can decode it). */
export function detectPlates(image: Image): Detected {
  if (image.corrupt) throw new PoisonRecordError(`${image.id}: not a decodable image`);
  return { image, regions: image.plates.map((crop, i) => ({ crop, box: [i * 40, 10] as const })) };
}

/** Masks every detected plate; the crops go on to recognition. */
export function blurPlates(detected: Detected): Blurred {
  return { blurred: { ...detected.image, plates: detected.regions.map((r) => '#'.repeat(r.crop.length)) }, crops: detected.regions.map((r) => r.crop) };
}

/** Reads the plates of the crops; one unreadable crop makes the image poison. */
export function readPlates(crops: readonly string[]): string[] {
  const bad = crops.findIndex((c) => !PLATE.test(c));
  if (bad >= 0) throw new PoisonRecordError(`plate ${bad + 1} of ${crops.length} unreadable: ${JSON.stringify(crops[bad])}`);
  return [...crops];
}

/** The image's partial for the final count: one image recognised, its plates, plates per region. */
export function tagRegions(plates: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = { images: 1, recognised: 1, plates: plates.length };
  for (const p of plates) counts[`region:${p.slice(0, 2)}`] = (counts[`region:${p.slice(0, 2)}`] ?? 0) + 1;
  return counts;
}
