// A small typed client for single-page apps: every type comes from the generated schema, so a
// change to a path, a parameter or a field name that would break front-ends fails `tsc` here.
import type { components, paths } from "./schema";

type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Success<Op, S extends number> = Op extends { responses: { [K in S]: infer R } }
  ? JsonOf<R>
  : never;
type BodyOf<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } }
  ? B
  : never;
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type SignIn = paths["/api/auth/token/"]["post"];
type Register = paths["/api/auth/register/"]["post"];
type Refresh = paths["/api/auth/token/refresh/"]["post"];
type ListMovies = paths["/api/movies/"]["get"];
type RateMovie = paths["/api/ratings/"]["post"];

export type Credentials = BodyOf<SignIn>;
export type TokenPair = Success<SignIn, 200>;
export type MovieQuery = QueryOf<ListMovies>;
export type MoviePage = Success<ListMovies, 200>;
export type Movie = MoviePage["results"][number];
export type NewRating = BodyOf<RateMovie>;
export type Rating = Success<RateMovie, 201>;
export type ErrorBody = components["schemas"]["ErrorBody"];
export type Registration = Success<Register, 201>;
export type RefreshBody = BodyOf<Refresh>;
/** Every code a 401 can carry; the client refreshes only on `token_expired`. */
export type AuthErrorCode = "not_authenticated" | "credentials_invalid" | "token_expired" | "token_invalid";

/** Any 4xx or 5xx: the API answers every error with the same body. */
export class NexusError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${status} ${body.error.code}: ${body.error.message}`);
  }

  /** The messages a form shows beside each field (`password_confirm`, `email`, ...). */
  fieldMessages(): Record<string, string[]> {
    const byField: Record<string, string[]> = {};
    for (const detail of this.body.error.details ?? []) {
      const field = detail.field ?? "";
      (byField[field] ??= []).push(detail.message);
    }
    return byField;
  }

  /** On the 409 of a second rating of one movie: the rating to change instead. */
  get existingRatingId(): number | null {
    return this.body.error.existing_rating_id ?? null;
  }

  /** On the 404 of a playlist write: the movie ids the catalogue does not have. */
  get unknownMovieIds(): number[] {
    return this.body.error.unknown_movie_ids ?? [];
  }

  get isTokenExpired(): boolean {
    return this.status === 401 && (this.body.error.code as AuthErrorCode) === "token_expired";
  }
}

export class NexusClient {
  private accessToken: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Sign-up is one request: the answer carries the tokens of a first session. */
  async register(body: BodyOf<Register>): Promise<Registration> {
    const registration = await this.request<Registration>("POST", "/api/auth/register/", body);
    this.accessToken = registration.access;
    return registration;
  }

  async refresh(body: RefreshBody): Promise<TokenPair> {
    const tokens = await this.request<TokenPair>("POST", "/api/auth/token/refresh/", body);
    this.accessToken = tokens.access;
    return tokens;
  }

  async signIn(credentials: Credentials): Promise<TokenPair> {
    const tokens = await this.request<TokenPair>("POST", "/api/auth/token/", credentials);
    this.accessToken = tokens.access;
    return tokens;
  }

  listMovies(query: MovieQuery = {}): Promise<MoviePage> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) search.set(name, String(value));
    }
    const suffix = search.size > 0 ? `?${search.toString()}` : "";
    return this.request<MoviePage>("GET", `/api/movies/${suffix}`);
  }

  rate(rating: NewRating): Promise<Rating> {
    return this.request<Rating>("POST", "/api/ratings/", rating);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.accessToken !== null) headers["Authorization"] = `Bearer ${this.accessToken}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await this.fetchImpl(new URL(path, this.baseUrl), init);
    if (!response.ok) throw new NexusError(response.status, (await response.json()) as ErrorBody);
    return (await response.json()) as T;
  }
}

/** The whole flow an SPA runs first: sign in, browse, rate the first movie five stars. */
export async function example(baseUrl: string): Promise<Rating | null> {
  const nexus = new NexusClient(baseUrl);
  await nexus.signIn({ username: "alice", password: "a long passphrase" });
  const page = await nexus.listMovies({ page: 1 });
  const first: Movie | undefined = page.results[0];
  if (first === undefined) return null;
  return nexus.rate({ movie: first.id, score: 5, review: "Loved it." });
}
