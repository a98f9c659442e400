import { createHash } from 'node:crypto';

export interface Book {
  readonly id: string;
  readonly title: string;
  readonly author: string;
}

const catalogue: readonly Book[] = [
  { id: 'b1', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin' },
  { id: 'b2', title: 'Things Fall Apart', author: 'Chinua Achebe' },
  { id: 'b3', title: 'The Master and Margarita', author: 'Mikhail Bulgakov' },
  { id: 'b4', title: 'Beloved', author: 'Toni Morrison' },
  { id: 'b5', title: 'The Remains of the Day', author: 'Kazuo Ishiguro' },
  { id: 'b6', title: 'Invisible Cities', author: 'Italo Calvino' },
  { id: 'b7', title: 'Pedro Páramo', author: 'Juan Rulfo' },
  { id: 'b8', title: 'The Dispossessed', author: 'Ursula K. Le Guin' },
];

/** Each user's shelf: three books picked from the subject, so two users see different shelves. */
export function bookshelfFor(subject: string): Book[] {
  const digest = createHash('sha256').update(subject).digest();
  const picked = new Set<number>();
  for (const byte of digest) {
    picked.add(byte % catalogue.length);
    if (picked.size === 3) {
      break;
    }
  }
  return [...picked].sort((a, b) => a - b).map((index) => catalogue[index]!);
}
