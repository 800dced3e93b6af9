/**
 * The image pipeline demo's photos: deterministic, so the demo and the end-to-end test agree
 * on them. Every 9th image (from the 5th) is corrupt; every 7th (from the 4th) that shows a
 * plate has one obscured, so recognition cannot read it.
 */
import { type Image, ImageKeys } from '../functions/demo/images';

const REGIONS = ['AB', 'CD', 'EF', 'GH'] as const;

/** One photo and the key it is uploaded under. */
export interface DemoImage {
  readonly key: string;
  readonly image: Image;
}

/** `count` photos of batch `batch`. */
export function demoImages(count: number, batch: string): DemoImage[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `img-${String(i).padStart(4, '0')}`;
    const plates = Array.from({ length: (i * 7) % 4 }, (_, j) => `${REGIONS[(i + j) % REGIONS.length]}-${String((i * 37 + j * 11) % 1000).padStart(3, '0')}`);
    const corrupt = i % 9 === 4;
    if (!corrupt && i % 7 === 3 && plates.length > 0) plates[0] = 'A?-1?3';
    return { key: ImageKeys.original(batch, id), image: { id, plates, ...(corrupt ? { corrupt } : {}) } };
  });
}
